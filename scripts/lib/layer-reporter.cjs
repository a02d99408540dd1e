// Mocha reporter for a test layer: mocha's spec output, then the layer's line
// `<layer>: N passed, N failed` (LAYER names it). Skipped tests are counted apart, never as passed.
const Mocha = require('mocha');

class LayerReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const layer = process.env.LAYER || 'tests';
      const { passes, failures, pending } = this.stats;
      if (pending) console.log(`${pending} skipped (not counted as passed)`);
      if (passes + failures === 0) console.log(`${layer} ran no test`);
      console.log(`${layer}: ${passes} passed, ${failures} failed`);
    });
  }
}

module.exports = LayerReporter;
