// Unit tests run on the TF.js CPU backend in Node with fixed seeds (see STYLE §8).
import * as tf from '@tensorflow/tfjs';

tf.env().set('IS_TEST', true);
await tf.setBackend('cpu');
await tf.ready();
