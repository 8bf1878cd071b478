#include "viz/attention_page_assets.h"

namespace attn::viz::page {

std::string_view style() {
  return R"CSS(
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --panel: #ffffff; --page: #f5f7fa;
  --accent: #2563eb; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; background: var(--page); color: var(--ink); font: 14px/1.4 var(--sans); }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 10px 16px;
  background: var(--panel); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 5; }
header h1 { font-size: 16px; margin: 0; font-weight: 650; letter-spacing: .01em; }
header h1 .brand { color: var(--accent); }
#meta { display: flex; flex-wrap: wrap; gap: 6px; flex: 1 1 480px; }
.chip { font: 12px var(--mono); background: #eef2f7; border: 1px solid var(--line); border-radius: 10px;
  padding: 1px 8px; color: #3e4c59; white-space: nowrap; }
.chip b { font-weight: 600; color: var(--muted); }
.pickers { display: flex; flex-wrap: wrap; gap: 8px 16px; }
label.picker { display: flex; align-items: center; gap: 6px; color: var(--muted); font-size: 13px; }
select, button, input[type=range] { font: 13px var(--sans); }
select, button { padding: 3px 6px; border: 1px solid #bcccdc; border-radius: 5px; background: #fff; color: var(--ink); }
button { cursor: pointer; }
button:hover, select:hover { border-color: var(--accent); }
#item-select { max-width: 46ch; }
#view-select { max-width: 40ch; }
#error-banner { margin: 8px 16px 0; padding: 8px 12px; border: 1px solid #f5a3a3; background: #fff1f1;
  color: #8a1c1c; border-radius: 6px; font: 12px var(--mono); white-space: pre-wrap; }
#summary { margin: 10px 16px 0; display: grid; grid-template-columns: max-content 1fr; gap: 3px 10px;
  font-size: 13px; }
#summary dt { color: var(--muted); }
#summary dd { margin: 0; font-family: var(--mono); max-height: 4.2em; overflow: auto; word-break: break-word; }
main { display: grid; grid-template-columns: minmax(300px, 40%) minmax(0, 1fr); gap: 12px; padding: 12px 16px 16px;
  align-items: start; }
@media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); } }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px;
  min-width: 0; }
.panel h2 { font-size: 14px; margin: 0 0 8px; font-weight: 650; }
.panel h2 small { font-weight: 400; color: var(--muted); margin-left: 6px; }
#model-view { max-height: calc(100vh - 150px); overflow: auto; }
.kind-group { margin-bottom: 12px; }
.kind-title { font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase;
  letter-spacing: .05em; margin: 4px 0 6px; }
.kind-grid { display: grid; gap: 4px; align-items: center; }
.head-index { font: 11px var(--mono); color: var(--muted); text-align: center; }
.layer-label { font: 12px var(--mono); color: #3e4c59; padding-right: 6px; white-space: nowrap; }
canvas.thumb { display: block; border: 1px solid var(--line); border-radius: 3px; cursor: pointer;
  image-rendering: auto; }
canvas.thumb:hover { border-color: #7b93b5; }
canvas.thumb.selected { outline: 2px solid var(--accent); outline-offset: 1px; border-color: var(--accent); }
.empty { color: var(--muted); font-style: italic; padding: 8px 0; }
.head-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; margin-bottom: 6px; }
.head-bar h2 { margin: 0; font-family: var(--mono); font-size: 13px; word-break: break-all; }
.kind-badge { font: 11px var(--sans); background: #e0e8f9; color: #1e3a8a; border-radius: 9px; padding: 1px 7px; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; margin-left: auto; color: var(--muted);
  font-size: 12px; }
.controls label { display: flex; align-items: center; gap: 5px; }
#zoom { width: 110px; }
#zoom-value { font: 11px var(--mono); min-width: 4ch; }
#head-stats { font: 12px var(--mono); color: var(--muted); margin-bottom: 6px; }
#colorbar-row { display: flex; align-items: center; gap: 6px; font: 11px var(--mono); color: var(--muted);
  margin-bottom: 8px; }
#colorbar { width: 160px; height: 10px; border: 1px solid var(--line); border-radius: 2px; }
#head-scroll { overflow: auto; max-height: calc(100vh - 230px); border-top: 1px solid var(--line); padding-top: 6px; }
#head-plot { display: grid; width: max-content; }
#key-labels, #query-labels { position: relative; }
.label { position: absolute; font: 11px/1.2 var(--mono); color: #3e4c59; white-space: pre; overflow: hidden;
  text-overflow: ellipsis; }
.key-label { writing-mode: vertical-rl; transform: rotate(180deg); bottom: 4px; max-height: 150px; }
.key-label.upright { writing-mode: horizontal-tb; transform: none; }
.query-label { right: 6px; text-align: right; max-width: 150px; }
.label.thinned { display: none; }
.label.hot { display: block; color: #b42318; font-weight: 700; background: #fff; z-index: 2; }
.heat-wrap { position: relative; }
.heat-wrap canvas { display: block; }
#overlay { position: absolute; left: 0; top: 0; pointer-events: none; }
#tooltip { position: fixed; z-index: 10; pointer-events: none; background: rgba(15, 23, 42, .94); color: #f8fafc;
  font: 12px/1.45 var(--mono); padding: 6px 9px; border-radius: 6px; box-shadow: 0 4px 14px rgba(0,0,0,.25);
  max-width: 360px; }
#tooltip .k { color: #94a3b8; }
#tooltip .tok { color: #fde68a; white-space: pre; }
#tooltip .v { font-weight: 700; }
#text-view { margin: 12px 16px 16px; padding: 14px 18px 16px; }
.prediction { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 10px; margin-bottom: 12px; font-size: 14px; }
.prediction .k { color: var(--muted); }
.prediction .pred-label { font-size: 18px; font-weight: 700; color: #1e3a8a; background: #e0e8f9; border-radius: 6px;
  padding: 0 10px; overflow-wrap: anywhere; }
.prediction .pred-prob { font: 14px var(--mono); }
.prediction .pred-ref { font-weight: 600; overflow-wrap: anywhere; }
.verdict { font-weight: 650; border-radius: 9px; padding: 1px 9px; font-size: 13px; }
.verdict.correct { color: #14532d; background: #dcfce7; }
.verdict.incorrect { color: #7f1d1d; background: #fee2e2; }
.verdict.unknown { color: var(--muted); background: #eef2f7; }
.text-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; color: var(--muted); font-size: 12px;
  border-bottom: 1px solid var(--line); padding-bottom: 8px; margin-bottom: 6px; }
#text-about { font-family: var(--mono); overflow-wrap: anywhere; }
.text-scale { display: flex; align-items: center; gap: 6px; font: 11px var(--mono); margin-left: auto; }
#text-colorbar { width: 120px; height: 10px; border: 1px solid var(--line); border-radius: 2px; }
#text-tokens { font: 17px/2.15 var(--sans); max-width: 96ch; margin: 0; overflow-wrap: anywhere; }
.word { padding: 3px 2px; border-radius: 3px; white-space: pre-wrap; -webkit-box-decoration-break: clone;
  box-decoration-break: clone; }
.word.dark { color: #ffffff; }
.word.special { font: 13px var(--mono); color: #52606d; box-shadow: inset 0 0 0 1px #9aa5b1; }
.word.dark.special { color: #ffffff; }
.word:hover { box-shadow: inset 0 0 0 2px #b42318; }
#top-row { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 8px; margin-top: 10px; padding-top: 8px;
  border-top: 1px solid var(--line); font-size: 12px; color: var(--muted); }
#top-tokens { display: contents; }
#top-tokens li { list-style: none; font: 12px var(--mono); color: var(--ink); background: #eef2f7;
  border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; overflow-wrap: anywhere; }
#top-tokens li b { font-weight: 600; color: var(--muted); margin-left: 6px; }
footer { color: var(--muted); font-size: 12px; padding: 0 16px 14px; }
kbd { font: 11px var(--mono); border: 1px solid #bcccdc; border-bottom-width: 2px; border-radius: 3px; padding: 0 4px;
  background: #fff; }
)CSS";
}

std::string_view markup() {
  return R"HTML(<script>
(function () {
  var count = 0;
  function report(message) {
    count += 1;
    document.body.setAttribute('data-errors', String(count));
    var banner = document.getElementById('error-banner');
    if (banner) { banner.hidden = false; banner.textContent += 'script error: ' + message + '\n'; }
  }
  window.addEventListener('error', function (e) { report(e.message || 'unknown error'); });
  window.addEventListener('unhandledrejection', function (e) { report(String(e.reason)); });
})();
</script>
<header>
  <h1><span class="brand">attn</span> attention maps</h1>
  <div id="meta"></div>
  <div class="pickers">
    <label class="picker">example <select id="item-select"></select></label>
    <label class="picker" id="view-picker" hidden>view <select id="view-select"></select></label>
  </div>
</header>
<div id="error-banner" hidden></div>
<dl id="summary">
  <dt>source</dt><dd id="source"></dd>
  <dt>output</dt><dd id="output"></dd>
</dl>
<section class="panel" id="text-view" hidden>
  <div id="prediction" class="prediction"></div>
  <div class="text-bar"><span id="text-about"></span>
    <span class="text-scale">weight 0<canvas id="text-colorbar" width="120" height="10"></canvas><span id="text-colorbar-max"></span></span>
  </div>
  <p id="text-tokens"></p>
  <div id="top-row"><span>largest weights</span><ol id="top-tokens"></ol></div>
</section>
<main>
  <section class="panel" id="model-view">
    <h2>Model view <small>layers &times; heads &middot; click a map to enlarge</small></h2>
    <div id="grid"></div>
  </section>
  <section class="panel" id="head-view">
    <div class="head-bar">
      <h2 id="head-title"></h2><span class="kind-badge" id="head-kind"></span>
      <div class="controls">
        <label>colour scale <select id="scale">
          <option value="map">0 &ndash; map max</option>
          <option value="row">0 &ndash; row max</option>
          <option value="abs">0 &ndash; 1</option>
        </select></label>
        <label>cell <input type="range" id="zoom" min="2" max="48" step="1"><span id="zoom-value"></span></label>
        <button id="fit" type="button">fit</button>
      </div>
    </div>
    <div id="head-stats"></div>
    <div id="colorbar-row"><span id="colorbar-min">0</span><canvas id="colorbar" width="160" height="10"></canvas><span id="colorbar-max"></span></div>
    <div id="head-scroll">
      <div id="head-plot">
        <div></div><div id="key-labels"></div>
        <div id="query-labels"></div>
        <div class="heat-wrap" id="heat-wrap"><canvas id="heat"></canvas><canvas id="overlay"></canvas></div>
      </div>
    </div>
  </section>
</main>
<footer id="text-footer" hidden>Each token is shaded by its pooling weight, the share of the pooled vector it
  received (the weights sum to 1), from 0 to this example's largest weight; hover a token for its weight.</footer>
<footer id="grid-footer">Rows are queries (a decoder row: its input &rarr; the token it predicts), columns are
  keys; <span id="row-sum">each row of a softmax map sums to 1</span>; blank cells are exact zeros.
  <kbd>&larr;</kbd><kbd>&rarr;</kbd> head, <kbd>&uarr;</kbd><kbd>&darr;</kbd> layer.</footer>
<div id="tooltip" role="tooltip" hidden></div>
)HTML";
}

}  // namespace attn::viz::page
