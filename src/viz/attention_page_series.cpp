#include "viz/attention_page_assets.h"

namespace attn::viz::page {

std::string_view series_style() {
  return R"CSS(
#series-view { margin: 12px 16px 16px; padding: 14px 18px 16px; }
.series-layout { display: grid; grid-template-columns: minmax(0, 780px) minmax(0, 1fr); gap: 12px 28px; align-items: start; }
@media (max-width: 1100px) { .series-layout { grid-template-columns: minmax(0, 1fr); } }
#series-view .head-bar h2 { font-size: 13px; }
#series-forecast { font: 13px var(--mono); color: var(--ink); margin: 4px 0 8px; }
#series-forecast .k { color: var(--muted); }
#series-figure svg { display: block; width: 100%; height: auto; max-width: 760px; }
#series-figure rect.band { cursor: crosshair; }
#series-figure rect.band.row { stroke: #2563eb; stroke-width: 2; }
#series-hint { font-size: 12px; color: var(--muted); margin: 8px 0 0; }
#series-maps-column h2 { font-size: 14px; margin: 0 0 4px; font-weight: 650; }
#series-maps-column h2 small { font-weight: 400; color: var(--muted); margin-left: 6px; }
figure.strip { margin: 0 0 6px; cursor: pointer; font: 11px var(--mono); color: var(--muted); }
figure.strip .cells { display: flex; height: 16px; border: 2px solid transparent; border-radius: 3px; background: #fff; }
figure.strip .cells span { flex: 1 1 0; }
figure.strip:hover .cells { border-color: #7b93b5; }
figure.strip.selected .cells { border-color: var(--accent); }
figure.strip.selected figcaption { color: var(--accent); font-weight: 700; }
)CSS";
}

std::string_view series_markup() {
  return R"HTML(<section class="panel" id="series-view" hidden>
  <div class="series-layout">
    <div>
      <div class="head-bar"><h2 id="series-title"></h2><span class="kind-badge" id="series-kind"></span></div>
      <div id="series-forecast"></div>
      <div id="series-figure"></div>
      <p id="series-hint"></p>
    </div>
    <div id="series-maps-column">
      <h2>Maps <small>click one to shade the series by it</small></h2>
      <div id="series-maps"></div>
    </div>
  </div>
</section>
<footer id="series-footer" hidden>The window of past values the model saw, then its forecast (red) and the true value
  (open circle). Under each past step a band is tinted by the step's weight in the chosen map, from clear at 0 to deep
  red at the row's largest weight. A pooling map has one row (the share of the pooled vector each step got); a
  self-attention map shows the last step's row, or the row of the step you hover or pin.</footer>
)HTML";
}

// The series view of a forecast item: the series figure rendered by attention_series_svg.cpp (page
// data "series_svg", made by this program and escaped there) with its bands recoloured for the
// chosen map, head and row; every map over the context as a strip to click; hovering a step of a
// self-attention map shows that step's row, a click pins it. Function declarations only, run
// inside the grid script's function scope with its helpers and state.
std::string_view series_view_script() {
  return R"JS(
  var seriesLut = makeLut(data.overlay_colormap);
  var figures = new WeakMap();  // item -> its parsed series figure

  function hasSeries(item) { return Boolean(item && item.series && item.series_layer >= 0); }
  function coversSeries(L) { return Boolean(L && L.series_about); }
  function seriesLayers(item) {
    var found = [];
    item.layers.forEach(function (L, i) { if (coversSeries(L)) found.push(i); });
    return found;
  }

  // Forecast items open on their series with the map the figure was drawn for; a grid stays a grid.
  function clampSeriesView(item) {
    if (state.view !== 'series' && state.view !== 'grid') { state.view = 'series'; state.layer = item.series_layer; state.head = 0; }
    if (state.view === 'series' && !coversSeries(item.layers[state.layer])) { state.layer = item.series_layer; state.head = 0; }
    if (state.row !== null && state.row >= item.layers[state.layer].q.length) state.row = null;
  }

  function seriesRowOf(L) { return L.q.length > 1 && state.row !== null ? state.row : L.series_row; }
  function seriesWeights(L, head, row) { var tk = L.k.length; return L.heads[head].slice(row * tk, row * tk + tk); }

  function figureOf(item) {
    if (figures.has(item)) return figures.get(item);
    var doc = new DOMParser().parseFromString(item.series_svg, 'image/svg+xml');
    var svg = document.importNode(doc.documentElement, true);
    figures.set(item, svg);
    return svg;
  }

  function shade(rect, v, top) {
    var t = v === null || !(top > 0) ? 0 : clamp(v / top, 0, 1), c = Math.round(t * 255) * 3;
    rect.setAttribute('fill', 'rgb(' + seriesLut[c] + ',' + seriesLut[c + 1] + ',' + seriesLut[c + 2] + ')');
    rect.setAttribute('fill-opacity', String(data.overlay_opacity * t));
  }

  // The figure's bands, colour-bar maximum, title and note for map (layer, head) at `row`.
  function paintFigure(item, svg, layer, head, row) {
    var L = item.layers[layer], w = seriesWeights(L, head, row), top = largest(w), s = item.series;
    svg.querySelectorAll('rect.band').forEach(function (rect, i) {
      shade(rect, w[i], top);
      rect.classList.toggle('row', L.q.length > 1 && i === row && state.row !== null);
      rect.querySelector('title').textContent = s.times[i] + ': value ' + s.values[i] + ' \u00b7 weight ' + fmt(w[i]);
    });
    svg.querySelector('text.bar-max').textContent = fmt(top);
    svg.querySelector('text.bar-about').textContent = L.series_about[row];
    svg.querySelector('text.title').textContent = L.series_titles[head];
    body.setAttribute('data-series-bands', String(w.filter(function (v) { return v !== null && v > 0; }).length));
    body.setAttribute('data-series-row', L.q.length > 1 && state.row !== null ? s.times[row] : '');
  }

  function strip(item, li, h) {
    var L = item.layers[li], w = seriesWeights(L, h, L.series_row), top = largest(w);
    var figure = el('figure', 'strip' + (li === state.layer && h === state.head ? ' selected' : '')), cells = el('div', 'cells');
    w.forEach(function (v, i) {
      var cell = el('span');
      var t = v === null || !(top > 0) ? 0 : clamp(v / top, 0, 1), c = Math.round(t * 255) * 3;
      cell.style.backgroundColor = 'rgba(' + seriesLut[c] + ',' + seriesLut[c + 1] + ',' + seriesLut[c + 2] + ',' + data.overlay_opacity * t + ')';
      cell.title = item.series.times[i] + ': ' + fmt(v);
      cells.appendChild(cell);
    });
    figure.appendChild(cells);
    figure.appendChild(el('figcaption', '', L.name + ' \u00b7 ' + L.titles[h] + ' \u00b7 ' + L.series_about[L.series_row]));
    figure.tabIndex = 0;
    figure.setAttribute('role', 'button');
    var choose = function () { state.layer = li; state.head = h; state.row = null; renderSeriesView(item); syncViewPicker(); writeHash(); };
    figure.addEventListener('click', choose);
    figure.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { choose(); e.preventDefault(); } });
    return figure;
  }

  function forecastLine(item) {
    var s = item.series, box = $('series-forecast');
    box.replaceChildren();
    s.target_times.forEach(function (t, h) {
      var line = el('div');
      line.appendChild(el('span', 'k', t + '  forecast '));
      line.appendChild(el('b', '', fmt(s.forecast[h])));
      if (s.truth[h] === null) line.appendChild(el('span', 'k', '  (no true value: past the series\u2019 end)'));
      else {
        line.appendChild(el('span', 'k', '  true '));
        line.appendChild(el('b', '', fmt(s.truth[h])));
        line.appendChild(el('span', 'k', '  error ' + fmt(s.forecast[h] - s.truth[h])));
      }
      box.appendChild(line);
    });
  }

  function renderSeriesView(item) {
    var L = item.layers[state.layer], svg = figureOf(item);
    $('series-title').textContent = item.input + ' \u00b7 ' + L.name + ' \u00b7 ' + L.titles[state.head];
    $('series-kind').textContent = L.kind.replace(/_/g, ' ');
    forecastLine(item);
    var holder = $('series-figure');
    if (holder.firstChild !== svg) holder.replaceChildren(svg);
    paintFigure(item, svg, state.layer, state.head, seriesRowOf(L));
    $('series-hint').textContent = L.q.length > 1
      ? 'Hover a past step to shade the series by its row of ' + L.name + ' (what that step attends to); click to pin it.'
      : 'A pooling map has one row: the share of the pooled vector each past step got.';
    var box = $('series-maps'), count = 0;
    box.replaceChildren();
    seriesLayers(item).forEach(function (li) {
      for (var h = 0; h < item.layers[li].heads.length; h++) { box.appendChild(strip(item, li, h)); count += 1; }
    });
    body.setAttribute('data-series-maps', String(count));
  }

  // The band under the pointer, as a context step; null off the bands.
  function bandAt(e) {
    var rect = e.target.closest ? e.target.closest('rect.band') : null;
    if (!rect) return null;
    return Array.prototype.indexOf.call($('series-figure').querySelectorAll('rect.band'), rect);
  }

  function hoverSeries(e) {
    var item = data.items[state.item], L = item.layers[state.layer], i = bandAt(e);
    if (i === null || i < 0 || L.q.length <= 1) return;
    var svg = figureOf(item), keep = state.row;
    state.row = i;
    paintFigure(item, svg, state.layer, state.head, i);
    state.row = keep;
  }

  function leaveSeries() {
    var item = data.items[state.item];
    if (hasSeries(item) && state.view === 'series') paintFigure(item, figureOf(item), state.layer, state.head, seriesRowOf(item.layers[state.layer]));
  }

  // A click pins the step's row (and puts it in the URL); a second click on it lets go.
  function clickSeries(e) {
    var item = data.items[state.item], L = item.layers[state.layer], i = bandAt(e);
    if (i === null || i < 0 || L.q.length <= 1) return;
    state.row = i === state.row ? null : i;
    paintFigure(item, figureOf(item), state.layer, state.head, seriesRowOf(L));
    writeHash();
  }
)JS";
}

}  // namespace attn::viz::page
