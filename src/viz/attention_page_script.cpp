#include "viz/attention_page_assets.h"

namespace attn::viz::page {

namespace {

// Page data (built by attention_html.cpp): {task, model: [[key, value]], colormap: [[r,g,b]],
// overlay_colormap: [[r,g,b]], overlay_opacity, items: [{index, input (the input text),
// source_tokens, output_tokens, output, prediction?: {label, probability, reference},
// image?: {height, width, patch, rows, cols, pixels}, image_layer? (the map a picture opens on),
// layers: [{name, kind, layer, q, rows (row labels: a decoder row adds what it predicts), k,
// titles (one per head: "head 0 / 4", "mean of 4 heads"), heads: [flat Tq*Tk arrays, null = missing],
// and on an image item's layers over patches: patch_keys, patch_queries (per patch, its key column
// and query row or -1), overlays (per head, a weight per patch), overlay_about; on a forecast item's
// layers over its context: series_about (per row), series_titles (per head), series_row}],
// and on forecast items: series {times, values, target_times, forecast, truth}, series_layer, series_svg}].
// Text goes into the DOM only through textContent, the title property and option text; never
// through innerHTML. This part opens the page's function scope and holds the helpers and the grid
// views; the text view (attention_page_text.cpp) and the navigation, which closes the scope
// (attention_page_navigation.cpp), follow it.
constexpr std::string_view kGridViews = R"JS(
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('attn-data').textContent);
  var body = document.body;
  var FONT = '11px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace';
  var LABEL_MAX = 150;
  var KINDS = [['encoder_self', 'Encoder self-attention'], ['decoder_self', 'Decoder self-attention'],
               ['decoder_cross', 'Decoder cross-attention'], ['rnn', 'RNN attention'], ['pooling', 'Attention pooling']];
  var MISSING = [203, 210, 217];
  // cell 0 = fit to the panel; view 'text' (classifier items) or 'grid', null = the item's default;
  // view 'image' or 'gallery' for image items; patch: the picture's pinned patch (null = none)
  // view 'series' for forecast items; row: the series view's pinned query row (null = the map's default)
  var state = { item: 0, layer: 0, head: 0, scale: 'map', cell: 0, view: null, patch: null, row: null,
                opacity: data.overlay_opacity };
  var rasters = new Map();
  var view = null;  // geometry of the enlarged map, for hover
  var order = [];   // layer positions in the order the model view shows them (grouped by kind)
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
  function fmt(v) { return v === null ? 'missing' : (v === 0 ? '0' : Number(v.toPrecision(4)).toString()); }
  var dpr = Math.max(1, window.devicePixelRatio || 1);

  // 256 colours interpolated between a colour map's stops, r g b each.
  function makeLut(stops) {
    var out = new Uint8ClampedArray(256 * 3);
    for (var i = 0; i < 256; i++) {
      var pos = i / 255 * (stops.length - 1), lo = Math.min(Math.floor(pos), stops.length - 2), f = pos - lo;
      for (var c = 0; c < 3; c++) out[i * 3 + c] = Math.round(stops[lo][c] + (stops[lo + 1][c] - stops[lo][c]) * f);
    }
    return out;
  }
  var lut = makeLut(data.colormap);

  // Per-row factors turning a weight into [0, 1] for the current colour scale.
  function rowScales(map, tq, tk) {
    var scales = new Float64Array(tq), q, k, v, m = 0;
    if (state.scale === 'abs') { scales.fill(1); return scales; }
    if (state.scale === 'row') {
      for (q = 0; q < tq; q++) {
        m = 0;
        for (k = 0; k < tk; k++) { v = map[q * tk + k]; if (v !== null && v > m) m = v; }
        scales[q] = m > 0 ? 1 / m : 0;
      }
      return scales;
    }
    for (var i = 0; i < map.length; i++) if (map[i] !== null && map[i] > m) m = map[i];
    scales.fill(m > 0 ? 1 / m : 0);
    return scales;
  }

  // The map at one pixel per cell, cached per item/layer/head/scale.
  function raster(layer, head) {
    var key = state.item + '/' + state.scale + '/' + layer + '/' + head;
    if (rasters.has(key)) return rasters.get(key);
    var L = data.items[state.item].layers[layer], map = L.heads[head], tq = L.q.length, tk = L.k.length;
    var canvas = document.createElement('canvas');
    canvas.width = tk; canvas.height = tq;
    var image = canvas.getContext('2d').createImageData(tk, tq), px = image.data, scales = rowScales(map, tq, tk);
    for (var q = 0; q < tq; q++) {
      for (var k = 0; k < tk; k++) {
        var v = map[q * tk + k], o = (q * tk + k) * 4;
        if (v === null) { px[o] = MISSING[0]; px[o + 1] = MISSING[1]; px[o + 2] = MISSING[2]; }
        else {
          var i = clamp(Math.round(v * scales[q] * 255), 0, 255) * 3;
          px[o] = lut[i]; px[o + 1] = lut[i + 1]; px[o + 2] = lut[i + 2];
        }
        px[o + 3] = 255;
      }
    }
    canvas.getContext('2d').putImageData(image, 0, 0);
    rasters.set(key, canvas);
    return canvas;
  }

  function sizeCanvas(target, cssW, cssH) {
    target.width = Math.round(cssW * dpr); target.height = Math.round(cssH * dpr);
    target.style.width = cssW + 'px'; target.style.height = cssH + 'px';
    return target.getContext('2d');
  }

  // Upscaled maps keep crisp cells.
  function paint(target, source, cssW, cssH) {
    var ctx = sizeCanvas(target, cssW, cssH);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(source, 0, 0, target.width, target.height);
    return ctx;
  }

  // Shrunk maps take the maximum over the cells behind each pixel, so a sharp peak in a
  // 200-token map stays visible in a small thumbnail (averaging would wash it out).
  function paintPooled(target, layer, head, cssW, cssH) {
    var ctx = sizeCanvas(target, cssW, cssH), w = target.width, h = target.height;
    var L = data.items[state.item].layers[layer], map = L.heads[head], tq = L.q.length, tk = L.k.length;
    var scales = rowScales(map, tq, tk), image = ctx.createImageData(w, h), px = image.data;
    for (var y = 0; y < h; y++) {
      var q0 = Math.floor(y * tq / h), q1 = Math.max(q0 + 1, Math.floor((y + 1) * tq / h));
      for (var x = 0; x < w; x++) {
        var k0 = Math.floor(x * tk / w), k1 = Math.max(k0 + 1, Math.floor((x + 1) * tk / w)), m = -1;
        for (var q = q0; q < q1; q++) {
          for (var k = k0; k < k1; k++) {
            var v = map[q * tk + k];
            if (v !== null && v * scales[q] > m) m = v * scales[q];
          }
        }
        var o = (y * w + x) * 4, color = m < 0 ? MISSING : null, i = clamp(Math.round(m * 255), 0, 255) * 3;
        px[o] = color ? color[0] : lut[i]; px[o + 1] = color ? color[1] : lut[i + 1];
        px[o + 2] = color ? color[2] : lut[i + 2]; px[o + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
  }

  function renderMeta() {
    var meta = $('meta');
    var chip = function (key, value) {
      var c = el('span', 'chip'); c.appendChild(el('b', '', key + ' ')); c.appendChild(document.createTextNode(value));
      meta.appendChild(c);
    };
    chip('task', data.task);
    data.model.forEach(function (kv) { chip(kv[0], kv[1]); });
    var picker = $('item-select');
    data.items.forEach(function (item, i) {
      var text = '#' + item.index + (item.prediction ? '  [' + item.prediction.label + ']' : '') + '  ' + item.input;
      picker.appendChild(el('option', '', text.length > 70 ? text.slice(0, 69) + '\u2026' : text)).value = String(i);
    });
    body.setAttribute('data-items', String(data.items.length));
  }

  function renderSummary(item) {
    $('source').textContent = item.source_tokens.join(' ');
    $('output').textContent = item.output;
    $('item-select').value = String(state.item);
  }

  function renderGrid(item) {
    var grid = $('grid'), thumbs = 0;
    grid.replaceChildren();
    order = [];
    if (item.layers.length === 0) { grid.appendChild(el('div', 'empty', 'No attention layers in this example.')); }
    var heads = Math.max.apply(null, [1].concat(item.layers.map(function (L) { return L.heads.length; })));
    var side = clamp(Math.floor((grid.clientWidth - 110) / heads) - 4, 34, 92);
    // Kinds the page has no title for are drawn all the same, each in a group of its own.
    var kinds = KINDS.slice();
    item.layers.forEach(function (L) {
      if (!kinds.some(function (k) { return k[0] === L.kind; })) kinds.push([L.kind, L.kind.replace(/_/g, ' ')]);
    });
    kinds.forEach(function (kind) {
      var members = [];
      item.layers.forEach(function (L, i) { if (L.kind === kind[0]) members.push(i); });
      if (members.length === 0) return;
      var group = el('div', 'kind-group');
      group.appendChild(el('div', 'kind-title', kind[1]));
      var table = el('div', 'kind-grid');
      var width = Math.max.apply(null, members.map(function (i) { return item.layers[i].heads.length; }));
      table.style.gridTemplateColumns = 'max-content repeat(' + width + ', ' + side + 'px)';
      table.appendChild(el('div', ''));
      for (var h = 0; h < width; h++) table.appendChild(el('div', 'head-index', 'h' + h));
      members.forEach(function (li) {
        order.push(li);
        var L = item.layers[li], label = el('div', 'layer-label', 'layer ' + L.layer);
        label.title = L.name;
        table.appendChild(label);
        for (var h = 0; h < width; h++) {
          if (h >= L.heads.length) { table.appendChild(el('div', '')); continue; }
          var thumb = el('canvas', 'thumb');
          thumb.title = L.name + ' \u00b7 ' + L.titles[h];
          thumb.setAttribute('aria-label', thumb.title);
          thumb.setAttribute('role', 'button');
          thumb.tabIndex = 0;
          thumb.setAttribute('data-layer', String(li));
          thumb.setAttribute('data-head', String(h));
          var aspect = clamp(L.q.length / Math.max(1, L.k.length), 0.3, 2);
          var thumbH = Math.round(side * aspect);
          if (!L.q.length || !L.k.length) { thumb.style.width = side + 'px'; thumb.style.height = thumbH + 'px'; }
          else if (L.k.length > side * dpr || L.q.length > thumbH * dpr) paintPooled(thumb, li, h, side, thumbH);
          else paint(thumb, raster(li, h), side, thumbH);
          thumb.addEventListener('click', chooseThumb);
          thumb.addEventListener('keydown', function (e) {
            if (e.key === 'Enter' || e.key === ' ') { chooseThumb(e); e.preventDefault(); }
          });
          table.appendChild(thumb);
          thumbs += 1;
        }
      });
      group.appendChild(table);
      grid.appendChild(group);
    });
    body.setAttribute('data-thumbnails', String(thumbs));
    markSelected();
  }

  function chooseThumb(e) {
    select(+e.currentTarget.getAttribute('data-layer'), +e.currentTarget.getAttribute('data-head'));
  }

  function markSelected() {
    document.querySelectorAll('canvas.thumb').forEach(function (t) {
      var on = +t.getAttribute('data-layer') === state.layer && +t.getAttribute('data-head') === state.head;
      t.classList.toggle('selected', on);
    });
  }

  function widest(tokens) {
    var ctx = document.createElement('canvas').getContext('2d'), w = 0;
    ctx.font = FONT;
    tokens.forEach(function (t) { w = Math.max(w, ctx.measureText(t).width); });
    return Math.min(LABEL_MAX, Math.ceil(w));
  }

  function headStats(map, tq, tk) {
    var max = 0, entropy = 0, rows = 0;
    for (var q = 0; q < tq; q++) {
      var h = 0, ok = true;
      for (var k = 0; k < tk; k++) {
        var v = map[q * tk + k];
        if (v === null) { ok = false; continue; }
        if (v > max) max = v;
        if (v > 0) h -= v * Math.log(v);
      }
      if (ok) { entropy += h; rows += 1; }
    }
    return { max: max, entropy: rows ? entropy / rows : NaN };
  }

  function renderHead(item) {
    var keyBox = $('key-labels'), queryBox = $('query-labels');
    keyBox.replaceChildren(); queryBox.replaceChildren();
    view = null;
    if (item.layers.length === 0) {
      $('head-title').textContent = 'no attention maps'; $('head-kind').textContent = '';
      body.setAttribute('data-cells', '0'); body.setAttribute('data-labels', '0');
      return;
    }
    var L = item.layers[state.layer], map = L.heads[state.head], tq = L.q.length, tk = L.k.length;
    $('head-title').textContent = L.name + ' \u00b7 ' + L.titles[state.head];
    $('head-kind').textContent = L.kind.replace('_', ' ');
    var stats = headStats(map, tq, tk);
    $('head-stats').textContent = tq + ' queries \u00d7 ' + tk + ' keys \u00b7 max ' + fmt(stats.max) +
      ' \u00b7 mean row entropy ' + (isNaN(stats.entropy) ? '-' : stats.entropy.toFixed(3)) + ' nats' +
      ' (uniform ' + (tk > 0 ? Math.log(tk).toFixed(3) : '-') + ')';
    $('colorbar-max').textContent = state.scale === 'abs' ? '1' : state.scale === 'row' ? 'row max' : fmt(stats.max);

    // Keys of one character each stand upright; longer ones are turned to save width.
    var upright = L.k.every(function (t) { return Array.from(t).length <= 1; });
    var fs = 11, qw = widest(L.rows) + 12, kh = upright ? fs + 8 : widest(L.k) + 10;
    var cells = cellSize(tq, tk, qw, kh), cw = cells[0], ch = cells[1];
    $('zoom').value = String(cw);
    $('zoom-value').textContent = cw === ch ? cw + ' px' : cw + '\u00d7' + ch + ' px';
    var plot = $('head-plot');
    plot.style.gridTemplateColumns = qw + 'px ' + tk * cw + 'px';
    plot.style.gridTemplateRows = kh + 'px ' + tq * ch + 'px';
    // Show every step-th label so neighbours do not overlap; hovering shows any label.
    var keyStep = Math.max(1, Math.ceil((fs + 2) / cw)), queryStep = Math.max(1, Math.ceil((fs + 2) / ch));
    var keys = L.k.map(function (t, k) {
      var span = el('span', 'label key-label' + (upright ? ' upright' : '') + (k % keyStep ? ' thinned' : ''), t);
      span.style.left = (k * cw + cw / 2 - (upright ? fs * 0.3 : fs * 0.6)) + 'px';
      span.title = 'key ' + k + ': ' + t;
      keyBox.appendChild(span);
      return span;
    });
    var queries = L.rows.map(function (t, q) {
      var span = el('span', 'label query-label' + (q % queryStep ? ' thinned' : ''), t);
      span.style.top = (q * ch + ch / 2 - fs * 0.6) + 'px';
      span.title = 'query ' + q + ': ' + t;
      queryBox.appendChild(span);
      return span;
    });

    var heat = $('heat'), overlay = $('overlay');
    if (tq && tk) {
      var ctx = paint(heat, raster(state.layer, state.head), tk * cw, tq * ch);
      // Cell borders help reading exact rows and columns once cells are large.
      ctx.strokeStyle = 'rgba(255,255,255,0.55)'; ctx.lineWidth = 1;
      ctx.beginPath();
      for (var k = 1; cw >= 10 && k < tk; k++) { ctx.moveTo(k * cw * dpr, 0); ctx.lineTo(k * cw * dpr, heat.height); }
      for (var q = 1; ch >= 10 && q < tq; q++) { ctx.moveTo(0, q * ch * dpr); ctx.lineTo(heat.width, q * ch * dpr); }
      ctx.stroke();
      if (cw >= 30 && ch >= 18) drawValues(ctx, map, tq, tk, cw, ch);
    } else {
      heat.width = heat.height = 0;
    }
    overlay.width = heat.width; overlay.height = heat.height;
    overlay.style.width = heat.style.width; overlay.style.height = heat.style.height;
    view = { L: L, map: map, tq: tq, tk: tk, cw: cw, ch: ch, keys: keys, queries: queries, hot: [] };
    body.setAttribute('data-cells', String(tq * tk));
    body.setAttribute('data-labels', String(keyBox.childElementCount + queryBox.childElementCount));
    drawColorbar($('colorbar'));
  }

  // Cell width and height in CSS px. Zoomed: square cells of the chosen size. Fit: columns fill
  // the panel width; rows may be taller than columns are wide (up to 20 px) so that a short,
  // wide map (24 outputs x 200 inputs) still has readable rows, and a tall narrow map gets rows
  // of at least 10 px.
  function cellSize(tq, tk, labelW, labelH) {
    if (state.cell) return [state.cell, state.cell];
    var scroll = $('head-scroll');
    var availW = scroll.clientWidth - labelW - 8;
    var availH = Math.max(200, window.innerHeight - scroll.getBoundingClientRect().top - labelH - 24);
    var cw = clamp(Math.floor(availW / Math.max(1, tk)), 3, 44);
    var ch = clamp(Math.floor(availH / Math.max(1, tq)), Math.min(cw, 10), Math.max(cw, 20));
    return [cw, ch];
  }

  // Weights written into cells big enough to hold them, light on dark cells; exact zeros
  // (masked positions, or cut by sparsemax) stay blank, and a weight too small for two decimals
  // shows as "<.01", so that only a structural zero is blank.
  function drawValues(ctx, map, tq, tk, cw, ch) {
    var scales = rowScales(map, tq, tk);
    ctx.font = (Math.min(11, cw * 0.27) * dpr) + 'px ' + FONT.replace(/^11px /, '');
    ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    for (var q = 0; q < tq; q++) {
      for (var k = 0; k < tk; k++) {
        var v = map[q * tk + k];
        if (v === null || v === 0) continue;
        ctx.fillStyle = v * scales[q] > 0.55 ? '#ffffff' : '#243b53';
        var text = v < 0.005 ? '<.01' : v.toFixed(2).replace(/^0\./, '.');
        ctx.fillText(text, (k + 0.5) * cw * dpr, (q + 0.5) * ch * dpr);
      }
    }
  }

  function drawColorbar(bar) {
    var ctx = bar.getContext('2d'), image = ctx.createImageData(bar.width, bar.height);
    for (var x = 0; x < bar.width; x++) {
      var i = Math.round(x / (bar.width - 1) * 255) * 3;
      for (var y = 0; y < bar.height; y++) {
        var o = (y * bar.width + x) * 4;
        image.data[o] = lut[i]; image.data[o + 1] = lut[i + 1]; image.data[o + 2] = lut[i + 2]; image.data[o + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
  }

  function clearHover() {
    if (!view) return;
    view.hot.forEach(function (s) { s.classList.remove('hot'); });
    view.hot = [];
    var overlay = $('overlay');
    overlay.getContext('2d').clearRect(0, 0, overlay.width, overlay.height);
    $('tooltip').hidden = true;
  }

  function tipLine(tip, key, index, token) {
    var line = el('div');
    line.appendChild(el('span', 'k', key + ' ' + index + ' '));
    line.appendChild(el('span', 'tok', token));
    tip.appendChild(line);
  }

  // Highlights cell (q, k), its row, column and labels, and shows the tooltip near (x, y).
  function showCell(q, k, x, y) {
    clearHover();
    if (!view || k < 0 || q < 0 || k >= view.tk || q >= view.tq) return;
    view.hot = [view.keys[k], view.queries[q]];
    view.hot.forEach(function (s) { s.classList.add('hot'); });
    var ctx = $('overlay').getContext('2d'), w = view.cw * dpr, h = view.ch * dpr;
    ctx.fillStyle = 'rgba(15, 23, 42, 0.07)';
    ctx.fillRect(0, q * h, view.tk * w, h);
    ctx.fillRect(k * w, 0, w, view.tq * h);
    ctx.strokeStyle = '#b42318'; ctx.lineWidth = Math.max(1, dpr * 1.5);
    ctx.strokeRect(k * w + ctx.lineWidth / 2, q * h + ctx.lineWidth / 2, w - ctx.lineWidth, h - ctx.lineWidth);
    var tip = $('tooltip');
    tip.replaceChildren();
    tipLine(tip, 'query', q, view.L.rows[q]);
    tipLine(tip, 'key  ', k, view.L.k[k]);
    var value = el('div');
    value.appendChild(el('span', 'k', 'weight '));
    value.appendChild(el('span', 'v', fmt(view.map[q * view.tk + k])));
    tip.appendChild(value);
    tip.hidden = false;
    var left = x + 14, top = y + 14;
    if (left + tip.offsetWidth > window.innerWidth - 4) left = x - tip.offsetWidth - 14;
    if (top + tip.offsetHeight > window.innerHeight - 4) top = y - tip.offsetHeight - 14;
    tip.style.left = left + 'px'; tip.style.top = top + 'px';
  }

  function hover(e) {
    if (!view || !view.tq || !view.tk) return;
    var rect = $('heat').getBoundingClientRect();
    showCell(Math.floor((e.clientY - rect.top) / view.ch), Math.floor((e.clientX - rect.left) / view.cw),
             e.clientX, e.clientY);
  }

  // #...&cell=q,k points at one weight: scroll to it and show it as if hovered.
  function focusCell(q, k) {
    if (!view || q >= view.tq || k >= view.tk) return;
    var scroll = $('head-scroll'), heat = $('heat');
    var s = scroll.getBoundingClientRect(), r = heat.getBoundingClientRect();
    scroll.scrollTop += r.top - s.top + (q + 0.5) * view.ch - scroll.clientHeight / 2;
    scroll.scrollLeft += r.left - s.left + (k + 0.5) * view.cw - scroll.clientWidth / 2;
    var rect = heat.getBoundingClientRect();
    showCell(q, k, rect.left + (k + 0.5) * view.cw, rect.top + (q + 0.5) * view.ch);
  }
)JS";

}  // namespace

std::string script() {
  std::string text;
  for (const std::string_view part :
       {std::string_view(kGridViews), text_view_script(), image_view_script(), gallery_script(), series_view_script(),
        navigation_script()})
    text.append(part);
  return text;
}

}  // namespace attn::viz::page
