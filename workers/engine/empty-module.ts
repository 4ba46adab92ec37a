// Stands in for Node built-ins (fs, path) in browser bundles: the emscripten glue of the DICOM codecs
// (dicom-codecs.ts) requires them only on its Node code path, which never runs in the browser. See next.config.js.
export default {};
