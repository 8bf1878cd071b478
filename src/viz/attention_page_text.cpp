#include "viz/attention_page_assets.h"

namespace attn::viz::page {

// The text view of a classifier's item and the view selector. Function declarations only:
// they run inside the grid script's function scope and use its helpers ($, el, fmt, clamp,
// lut, MISSING, drawColorbar) and its state. Tokens enter the DOM through textContent and
// the title property only.
std::string_view text_view_script() {
  return R"JS(
  function poolingLayers(item) {
    var found = [];
    item.layers.forEach(function (L, i) { if (L.kind === 'pooling') found.push(i); });
    return found;
  }

  function isClassifier(item) { return Boolean(item.prediction) || poolingLayers(item).length > 0; }
  // Items with a view besides the grids: classifiers (text), pictures, series.
  function hasViews(item) { return isClassifier(item) || hasSeries(item); }

  // A classifier's item opens on its text (an image item on its picture); the text view shows a
  // pooling layer's head.
  function clampView(item) {
    if (hasSeries(item)) { clampSeriesView(item); return; }
    if (hasImage(item) && item.image_layer >= 0) { clampImageView(item); return; }
    if (!isClassifier(item)) { state.view = 'grid'; return; }
    if (state.view !== 'text' && state.view !== 'grid') state.view = 'text';
    var pools = poolingLayers(item);
    if (state.view === 'text' && pools.length && pools.indexOf(state.layer) < 0) {
      state.layer = pools[0]; state.head = 0;
    }
  }

  function viewValue() {
    var text = state.view === 'text' && !poolingLayers(data.items[state.item]).length;
    if (state.view === 'gallery') return 'gallery:-1:-1';  // keeps the chosen map
    return text ? 'text:0:0' : state.view + ':' + state.layer + ':' + state.head;
  }

  function syncViewPicker() {
    if (hasViews(data.items[state.item])) $('view-select').value = viewValue();
  }

  function renderViewPicker(item) {
    var picker = $('view-select'), pools = poolingLayers(item);
    picker.replaceChildren();
    $('view-picker').hidden = !hasViews(item);
    if (!hasViews(item)) return;
    var text = el('optgroup'), grids = el('optgroup');
    text.label = 'text shaded by pooling weight';
    grids.label = 'attention maps (layer \u00d7 head)';
    var option = function (group, value, label) { group.appendChild(el('option', '', label)).value = value; };
    if (hasSeries(item)) {
      // A forecast's tokens are times: its view is the series shaded by a map, not text.
      text.label = 'series shaded by a map';
      seriesLayers(item).forEach(function (li) {
        var L = item.layers[li];
        for (var h = 0; h < L.heads.length; h++) option(text, 'series:' + li + ':' + h, 'series \u00b7 ' + L.name + ' \u00b7 ' + L.titles[h]);
      });
      pools = [];
    } else if (hasImage(item) && item.image_layer >= 0) {
      // A picture's tokens are patch names: its views are the picture and the gallery, not text.
      text.label = 'picture with a map laid over it';
      imageLayers(item).forEach(function (li) {
        var L = item.layers[li];
        for (var h = 0; h < L.heads.length; h++) option(text, 'image:' + li + ':' + h, 'picture · ' + L.name + ' · ' + L.titles[h]);
      });
      var all = el('optgroup');
      all.label = 'all examples';
      option(all, 'gallery:-1:-1', 'gallery of ' + imageItems().length + ' pictures');
      picker.appendChild(all);
      pools = [];
    } else if (!pools.length) option(text, 'text:0:0', 'text (no pooling layer)');
    pools.forEach(function (li) {
      var L = item.layers[li];
      for (var h = 0; h < L.heads.length; h++)
        option(text, 'text:' + li + ':' + h, 'text \u00b7 ' + L.name + (L.heads.length > 1 || L.titles[h].indexOf(' of ') >= 0 ? ' \u00b7 ' + L.titles[h] : ''));
    });
    item.layers.forEach(function (L, li) {
      for (var h = 0; h < L.heads.length; h++) option(grids, 'grid:' + li + ':' + h, L.name + ' \u00b7 ' + L.titles[h]);
    });
    picker.insertBefore(text, picker.firstChild);
    if (item.layers.length) picker.appendChild(grids);
    picker.value = viewValue();
  }

  // Shows the current view's sections only, and zeroes the test counters of the others.
  function showView() {
    var v = state.view, grid = v === 'grid', picture = v === 'image' || v === 'gallery';
    $('text-view').hidden = v !== 'text'; $('text-footer').hidden = v !== 'text';
    $('series-view').hidden = v !== 'series'; $('series-footer').hidden = v !== 'series';
    $('image-view').hidden = v !== 'image'; $('gallery-view').hidden = v !== 'gallery'; $('image-footer').hidden = !picture;
    document.querySelector('main').hidden = !grid; $('grid-footer').hidden = !grid; $('summary').hidden = !grid;
    body.setAttribute('data-view', v);
    var counters = { grid: ['thumbnails', 'cells', 'labels'], text: ['text-tokens'], image: ['image-patches', 'image-maps'],
                     gallery: ['gallery-cards', 'gallery-wrong'], series: ['series-bands', 'series-maps'] };
    Object.keys(counters).forEach(function (name) {
      if (name !== v) counters[name].forEach(function (k) { body.setAttribute('data-' + k, '0'); });
    });
    if (v !== 'image') body.setAttribute('data-image-row', '');
    if (v !== 'series') body.setAttribute('data-series-row', '');
  }

  // Control characters as escapes (\n, \t, \r, \x07), an empty token as U+2205 and a
  // whitespace-only one as U+2423 per character, so that no token vanishes from the text
  // (text_layout.h's visible_token does the same for the SVG figure).
  var ESCAPES = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };
  function visibleToken(t) {
    var shown = t.replace(/[\u0000-\u001f\u007f]/g, function (c) {
      return ESCAPES[c] || '\\x' + ('0' + c.charCodeAt(0).toString(16)).slice(-2);
    });
    if (shown === '') return '\u2205';
    return shown.trim() === '' ? shown.replace(/\s/g, '\u2423') : shown;
  }

  function renderPrediction(p, box) {
    box.replaceChildren();
    if (!p) { box.appendChild(el('span', 'k', 'no prediction in this file')); return; }
    box.appendChild(el('span', 'k', 'predicted'));
    box.appendChild(el('span', 'pred-label', p.label));
    box.appendChild(el('span', 'pred-prob', 'p = ' + fmt(p.probability)));
    if (p.reference === null) { box.appendChild(el('span', 'verdict unknown', 'no reference label')); return; }
    var right = p.reference === p.label;
    box.appendChild(el('span', 'verdict ' + (right ? 'correct' : 'incorrect'), right ? '\u2713 correct' : '\u2717 incorrect'));
    box.appendChild(el('span', 'k', 'reference'));
    box.appendChild(el('span', 'pred-ref', p.reference));
  }

  function renderTopTokens(tokens, weights) {
    var list = $('top-tokens'), order = [];
    list.replaceChildren();
    $('top-row').hidden = !weights;
    if (!weights) return;
    tokens.forEach(function (t, i) { if (weights[i] !== null) order.push(i); });
    order.sort(function (a, b) { return weights[b] - weights[a]; });
    order.slice(0, 8).forEach(function (i) {
      var li = el('li', '', visibleToken(tokens[i]));
      li.appendChild(el('b', '', fmt(weights[i])));
      li.title = 'token ' + i + ': ' + tokens[i];
      list.appendChild(li);
    });
  }

  // The pooling head's keys as prose, each shaded from 0 to the largest weight of the head.
  function renderTextView(item) {
    var pools = poolingLayers(item), L = pools.length ? item.layers[state.layer] : null;
    var weights = L ? L.heads[state.head] : null, tokens = L ? L.k : item.source_tokens, max = 0;
    renderPrediction(item.prediction || null, $('prediction'));
    if (weights) weights.forEach(function (v) { if (v !== null && v > max) max = v; });
    $('text-about').textContent = L
      ? L.name + ' \u00b7 ' + L.titles[state.head] + ' \u00b7 ' + tokens.length + ' tokens'
      : 'no attention-pooling layer in this example: tokens are not shaded';
    $('text-colorbar').parentNode.hidden = !weights;
    $('text-colorbar-max').textContent = fmt(max);
    drawColorbar($('text-colorbar'));
    var box = $('text-tokens');
    box.replaceChildren();
    tokens.forEach(function (t, i) {
      if (i) box.appendChild(document.createTextNode(' '));
      var span = el('span', 'word', visibleToken(t)), v = weights ? weights[i] : undefined;
      if (/^<[^<>\s]+>$/.test(t)) span.classList.add('special');
      if (v === null) {
        span.style.backgroundColor = 'rgb(' + MISSING.join(',') + ')';
      } else if (v !== undefined) {
        var f = max > 0 ? clamp(v / max, 0, 1) : 0, c = Math.round(f * 255) * 3;
        span.style.backgroundColor = 'rgb(' + lut[c] + ',' + lut[c + 1] + ',' + lut[c + 2] + ')';
        if (f > 0.55) span.classList.add('dark');
      }
      span.title = 'token ' + i + ': ' + t + (v === undefined ? '' : ' \u00b7 weight ' + fmt(v));
      box.appendChild(span);
    });
    renderTopTokens(tokens, weights);
    body.setAttribute('data-text-tokens', String(tokens.length));
  }
)JS";
}

}  // namespace attn::viz::page
