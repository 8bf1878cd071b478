#include "viz/attention_page_assets.h"

namespace attn::viz::page {

// The picture view of an image item: its pixels in grey, upscaled crisply, under the chosen map's
// weights per patch (page data "overlays", computed by image_overlay.h), the other maps as small
// pictures to choose from, and hovering (or clicking, which pins) a patch to lay that patch's
// row of a patch-to-patch map over the picture instead. Function declarations only, run inside
// the grid script's function scope with its helpers and state; drawPicture also serves the
// gallery (attention_page_gallery.cpp).
std::string_view image_view_script() {
  return R"JS(
  var overlayLut = makeLut(data.overlay_colormap);
  var pictures = new WeakMap();  // image -> its pixels at one canvas pixel each
  var pictureView = null;        // geometry of the main picture, for hover
  var IMAGE_KINDS = [['pooling_rollout', 'pooling \u00b7 rollout'], ['pooling', 'pooling'],
                     ['rollout', 'rollout'], ['encoder_self', 'Encoder self-attention']];

  function hasImage(item) { return Boolean(item && item.image); }
  function coversPatches(L) { return Boolean(L.overlays); }

  function pictureRaster(image) {
    if (pictures.has(image)) return pictures.get(image);
    var canvas = document.createElement('canvas');
    canvas.width = image.width; canvas.height = image.height;
    var ctx = canvas.getContext('2d'), data = ctx.createImageData(image.width, image.height);
    image.pixels.forEach(function (v, i) {
      data.data[i * 4] = data.data[i * 4 + 1] = data.data[i * 4 + 2] = v; data.data[i * 4 + 3] = 255;
    });
    ctx.putImageData(data, 0, 0);
    pictures.set(image, canvas);
    return canvas;
  }

  function largest(weights) {
    var max = 0;
    weights.forEach(function (v) { if (v !== null && v > max) max = v; });
    return max;
  }

  // The picture at `scale` CSS px per pixel with one translucent cell per patch over it: colour
  // and opacity rise with the weight, from 0 to the largest one (`max`, else the weights' own).
  function drawPicture(canvas, image, weights, scale, opacity, max) {
    var ctx = sizeCanvas(canvas, image.width * scale, image.height * scale), side = image.patch * scale * dpr;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(pictureRaster(image), 0, 0, canvas.width, canvas.height);
    if (weights) {
      var top = max || largest(weights);
      for (var p = 0; p < weights.length; p++) {
        if (weights[p] === null || !(top > 0)) continue;
        var t = clamp(weights[p] / top, 0, 1), c = Math.round(t * 255) * 3;
        ctx.fillStyle = 'rgba(' + overlayLut[c] + ',' + overlayLut[c + 1] + ',' + overlayLut[c + 2] + ',' + opacity * t + ')';
        ctx.fillRect((p % image.cols) * side, Math.floor(p / image.cols) * side, side, side);
      }
    }
    ctx.strokeStyle = 'rgba(255,255,255,0.3)'; ctx.lineWidth = 1;
    ctx.beginPath();
    for (var r = 1; r < image.rows; r++) { ctx.moveTo(0, r * side + 0.5); ctx.lineTo(canvas.width, r * side + 0.5); }
    for (var k = 1; k < image.cols; k++) { ctx.moveTo(k * side + 0.5, 0); ctx.lineTo(k * side + 0.5, canvas.height); }
    ctx.stroke();
    return ctx;
  }

  // The overlay's colours as they look on the picture: over black (top half) and white.
  function drawOverlayBar(bar) {
    var ctx = bar.getContext('2d'), half = bar.height / 2;
    ctx.fillStyle = '#000'; ctx.fillRect(0, 0, bar.width, half);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, half, bar.width, bar.height - half);
    for (var x = 0; x < bar.width; x++) {
      var t = x / (bar.width - 1), c = Math.round(t * 255) * 3;
      ctx.fillStyle = 'rgba(' + overlayLut[c] + ',' + overlayLut[c + 1] + ',' + overlayLut[c + 2] + ',' + state.opacity * t + ')';
      ctx.fillRect(x, 0, 1, bar.height);
    }
  }

  function imageLayers(item) {
    var found = [];
    item.layers.forEach(function (L, i) { if (coversPatches(L)) found.push(i); });
    return found;
  }

  function patchName(image, p) { return 'r' + Math.floor(p / image.cols) + 'c' + (p % image.cols); }

  // The patch-to-patch map whose rows hovering shows: the chosen map if it has a row per
  // patch, else (a pooling map has one row) the rollout.
  function rowLayer(item) {
    var L = item.layers[state.layer];
    if (L.patch_queries.some(function (q) { return q >= 0; })) return { L: L, head: state.head };
    var at = item.layers.findIndex(function (M) { return M.kind === 'rollout' && coversPatches(M); });
    return at < 0 ? null : { L: item.layers[at], head: 0 };
  }

  // What patch p attends to in `source`: its row, at the patches' key columns.
  function patchRow(source, p) {
    var q = source.L.patch_queries[p], tk = source.L.k.length, map = source.L.heads[source.head];
    if (q < 0) return null;
    return source.L.patch_keys.map(function (k) { return k < 0 ? null : map[q * tk + k]; });
  }

  // Image items open on the picture, or the gallery when the page opened on several pictures,
  // with the most informative map; a grid stays a grid.
  function clampImageView(item) {
    if (['image', 'gallery', 'grid'].indexOf(state.view) < 0) {
      state.view = 'image'; state.layer = item.image_layer; state.head = 0;
    }
    if (state.view !== 'grid' && !coversPatches(item.layers[state.layer] || {})) {
      state.layer = item.image_layer; state.head = 0;
    }
    if (state.patch !== null && state.patch >= item.image.rows * item.image.cols) state.patch = null;
  }

  // Whole CSS px per image pixel keep the pixels crisp; the maps beside the picture need ~420 px.
  function pictureScale(image) {
    var stacked = window.innerWidth <= 900;  // the stylesheet puts the maps below the picture there
    var room = Math.min(window.innerWidth - (stacked ? 80 : 480), window.innerHeight - 300, 460);
    return clamp(Math.floor(room / Math.max(image.width, image.height)), 4, 24);
  }

  // The main picture: the chosen map's overlay, or with patch p the row of p in the row map.
  function drawMain(item, p) {
    var L = item.layers[state.layer], image = item.image, source = p === null ? null : rowLayer(item);
    var row = source ? patchRow(source, p) : null, weights = row || L.overlays[state.head];
    var scale = pictureScale(image), canvas = $('picture');
    var ctx = drawPicture(canvas, image, weights, scale, state.opacity);
    pictureView = { image: image, scale: scale };
    if (p !== null) {
      var side = image.patch * scale * dpr;
      ctx.strokeStyle = '#2563eb'; ctx.lineWidth = Math.max(2, 2 * dpr);
      ctx.strokeRect((p % image.cols) * side + ctx.lineWidth / 2, Math.floor(p / image.cols) * side + ctx.lineWidth / 2,
                     side - ctx.lineWidth, side - ctx.lineWidth);
    }
    var shows = row ? patchName(image, p) + '\u2019s row of ' + source.L.name +
                      (source.L.heads.length > 1 ? ' \u00b7 ' + source.L.titles[source.head] : '') +
                      ': what it attends to'
                    : L.overlay_about;
    $('image-shows').textContent = shows;
    $('image-max').textContent = fmt(largest(weights));
    body.setAttribute('data-image-patches', String(weights.filter(function (v) { return v !== null; }).length));
    body.setAttribute('data-image-row', row ? patchName(image, p) : '');
    return row;
  }

  function showPatchTip(item, p, row, x, y) {
    var tip = $('tooltip'), L = item.layers[state.layer];
    tip.replaceChildren();
    tipLine(tip, 'patch', patchName(item.image, p), '');
    var line = el('div');
    line.appendChild(el('span', 'k', 'weight in ' + L.name + ' '));
    line.appendChild(el('span', 'v', fmt(L.overlays[state.head][p])));
    tip.appendChild(line);
    if (row) {
      var best = row.reduce(function (b, v, i) { return v !== null && (b < 0 || v > row[b]) ? i : b; }, -1);
      if (best >= 0) tipLine(tip, 'attends most to', patchName(item.image, best), '(' + fmt(row[best]) + ')');
    }
    tip.hidden = false;
    tip.style.left = Math.min(x + 14, window.innerWidth - tip.offsetWidth - 4) + 'px';
    tip.style.top = Math.min(y + 14, window.innerHeight - tip.offsetHeight - 4) + 'px';
  }

  function patchAt(e) {
    var at = pictureView;
    if (!at) return null;
    var rect = $('picture').getBoundingClientRect(), side = at.image.patch * at.scale;
    var c = Math.floor((e.clientX - rect.left) / side), r = Math.floor((e.clientY - rect.top) / side);
    return r >= 0 && c >= 0 && r < at.image.rows && c < at.image.cols ? r * at.image.cols + c : null;
  }

  function hoverPicture(e) {
    var item = data.items[state.item], p = patchAt(e);
    if (p === null) { leavePicture(); return; }
    showPatchTip(item, p, drawMain(item, p), e.clientX, e.clientY);
  }

  function leavePicture() {
    $('tooltip').hidden = true;
    if (data.items.length && hasImage(data.items[state.item])) drawMain(data.items[state.item], state.patch);
  }

  // A click pins the patch's row (and puts it in the URL); a second click on it lets go.
  function clickPicture(e) {
    var p = patchAt(e);
    state.patch = p === state.patch ? null : p;
    drawMain(data.items[state.item], state.patch);
    writeHash();
  }

  function mapThumb(item, li, h, caption) {
    var L = item.layers[li], figure = el('figure', 'map-thumb' + (li === state.layer && h === state.head ? ' selected' : ''));
    var canvas = el('canvas');
    drawPicture(canvas, item.image, L.overlays[h], Math.max(2, Math.floor(84 / item.image.width)), state.opacity);
    figure.appendChild(canvas);
    figure.appendChild(el('figcaption', '', caption));
    figure.title = L.name + ' \u00b7 ' + L.titles[h] + ' \u00b7 ' + L.overlay_about;
    figure.tabIndex = 0;
    figure.setAttribute('role', 'button');
    var choose = function () { chooseMap(li, h); };
    figure.addEventListener('click', choose);
    figure.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { choose(); e.preventDefault(); } });
    return figure;
  }

  // Every map over the patches as a small picture to click: the one-of-a-kind maps side by side,
  // then a row per encoder layer with its heads.
  function renderImageMaps(item) {
    var box = $('image-maps'), count = 0, kinds = IMAGE_KINDS.slice(), derived = el('div', 'map-row');
    box.replaceChildren();
    box.appendChild(derived);
    imageLayers(item).forEach(function (li) {
      var kind = item.layers[li].kind;
      if (!kinds.some(function (k) { return k[0] === kind; })) kinds.push([kind, kind.replace(/_/g, ' ')]);
    });
    kinds.forEach(function (kind) {
      var members = imageLayers(item).filter(function (li) { return item.layers[li].kind === kind[0]; });
      if (!members.length) return;
      if (kind[0] !== 'encoder_self') {
        members.forEach(function (li) {
          item.layers[li].overlays.forEach(function (w, h) {
            var L = item.layers[li];
            derived.appendChild(mapThumb(item, li, h, kind[1] + (L.overlays.length > 1 ? ' \u00b7 h' + h : '')));
            count += 1;
          });
        });
        return;
      }
      box.appendChild(el('div', 'kind-title', kind[1]));
      members.forEach(function (li) {
        var row = el('div', 'map-row'), L = item.layers[li];
        row.appendChild(el('div', 'layer-label', 'layer ' + L.layer));
        L.overlays.forEach(function (w, h) { row.appendChild(mapThumb(item, li, h, 'h' + h)); count += 1; });
        box.appendChild(row);
      });
    });
    body.setAttribute('data-image-maps', String(count));
  }

  function chooseMap(layer, head) {
    state.layer = layer; state.head = head;
    renderImageView(data.items[state.item]);
    syncViewPicker();
    writeHash();
  }

  function renderImageView(item) {
    var L = item.layers[state.layer];
    renderPrediction(item.prediction || null, $('image-prediction'));
    $('image-title').textContent = L.name + ' \u00b7 ' + L.titles[state.head];
    $('image-kind').textContent = L.kind.replace(/_/g, ' ');
    $('image-grid').textContent = item.input + ' \u00b7 ' + item.image.rows + '\u00d7' + item.image.cols +
      ' patches of ' + item.image.patch + '\u00d7' + item.image.patch + ' px';
    $('opacity').value = String(Math.round(state.opacity * 100));
    drawMain(item, state.patch);
    drawOverlayBar($('image-colorbar'));
    var source = rowLayer(item);
    $('image-hint').textContent = source
      ? 'Hover a patch to lay its row of ' + source.L.name + ' over the picture (what that patch attends to); click to pin it.'
      : 'This item has no patch-to-patch map to show per patch.';
    renderImageMaps(item);
  }
)JS";
}

}  // namespace attn::viz::page
