// The trace types splitscope's report draws, and nothing else: scatter (part of core), bar, heatmap
// and sankey. plotly.js documents this pattern for custom bundles (CUSTOM_BUNDLE.md); the version
// matches the plotly.js the Python plotly package targets, so the figure JSON it writes is understood.
var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap'), require('plotly.js/lib/sankey')]);

module.exports = Plotly;
