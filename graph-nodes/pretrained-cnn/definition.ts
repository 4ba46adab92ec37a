import { z } from 'zod';
import { defineNode } from '../core/define-node';

/** Presets: where the default taps and the input convention come from. */
export const pretrainedPresets = {
  'mobilenet-v2-imagenet': {
    title: 'MobileNetV2 (ImageNet)',
    taps: ['block_3_expand_relu', 'block_6_expand_relu', 'block_13_expand_relu'],
    example: '../shared/models/mobilenet_v2_imagenet',
  },
  custom: { title: 'Custom TF.js model', taps: [] as string[], example: 'a folder with model.json and its .bin shards' },
} as const;

export const pretrainedCnnNode = defineNode({
  type: 'pretrained-cnn',
  version: 1,
  category: 'model',
  title: 'Pretrained CNN',
  description:
    'Loads a pretrained TF.js network (model.json + weight shards, from a folder or an http(s) URL) and offers ' +
    'the feature maps of chosen layers ("taps") as a feature extractor, e.g. for PaDiM. Images are resized to ' +
    'the network\'s input size and grey images are repeated to RGB. Nothing is trained here.',
  reference: 'Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", CVPR 2018',
  inputs: {},
  outputs: { extractor: { type: 'FeatureExtractor', label: 'Feature extractor' } },
  params: z.object({
    preset: z
      .enum(['mobilenet-v2-imagenet', 'custom'])
      .default('mobilenet-v2-imagenet')
      .describe('Which network: MobileNetV2 trained on ImageNet (default taps below), or your own model'),
    path: z
      .string()
      .max(2000)
      .default('')
      .describe('Folder with model.json and its weight shards (e.g. ../shared/models/mobilenet_v2_imagenet), a model.json file, or an http(s) URL of model.json'),
    layers: z
      .array(z.string().min(1).max(200))
      .max(8)
      .default([])
      .describe('Layers whose feature maps to output, finest first; empty = the preset\'s taps (MobileNetV2: block_3/6/13_expand_relu)'),
    inputRange: z
      .enum(['0..1', '-1..1', '0..255'])
      .default('0..1')
      .describe('Pixel range the network expects (MobileNetV2 here takes 0..1 and rescales itself)'),
  }),
  cache: 'pure',
});
