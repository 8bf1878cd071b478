#include "viz/attention_page_assets.h"

namespace attn::viz::page {

// Which item and view the page shows: the state's bounds, the URL fragment, the keys, the
// pickers' events, and the first drawing. Runs last inside the grid script's function scope
// and closes it.
std::string_view navigation_script() {
  return R"JS(
  function clampState() {
    state.item = clamp(state.item, 0, Math.max(0, data.items.length - 1));
    var layers = data.items.length ? data.items[state.item].layers : [];
    state.layer = clamp(state.layer, 0, Math.max(0, layers.length - 1));
    state.head = layers.length ? clamp(state.head, 0, layers[state.layer].heads.length - 1) : 0;
    if (data.items.length) clampView(data.items[state.item]);
  }

  function writeHash() {
    var view = hasViews(data.items[state.item]) ? '&view=' + state.view : '';
    if (state.view === 'series' && state.row !== null) view += '&row=' + state.row;
    if (state.view === 'image' && state.patch !== null) {
      var cols = data.items[state.item].image.cols;
      view += '&patch=' + Math.floor(state.patch / cols) + ',' + state.patch % cols;
    }
    try {
      history.replaceState(null, '', '#item=' + state.item + '&layer=' + state.layer + '&head=' + state.head + view);
    } catch (err) {
      // Some browsers refuse history changes on file: pages; the view itself is unaffected.
    }
  }

  function select(layer, head) {
    state.layer = layer; state.head = head;
    clampState();
    markSelected();
    renderHead(data.items[state.item]);
    syncViewPicker();
    writeHash();
  }

  function renderItem() {
    clampState();
    rasters.clear();
    if (data.items.length === 0) {
      $('grid').replaceChildren(el('div', 'empty', 'The attention file holds no examples.'));
      body.setAttribute('data-item', ''); body.setAttribute('data-thumbnails', '0');
      body.setAttribute('data-cells', '0'); body.setAttribute('data-labels', '0');
      return;
    }
    var item = data.items[state.item];
    body.setAttribute('data-item', String(state.item));
    renderSummary(item);
    renderViewPicker(item);
    showView();
    if (state.view === 'text') {
      renderTextView(item);
    } else if (state.view === 'image') {
      renderImageView(item);
    } else if (state.view === 'series') {
      renderSeriesView(item);
    } else if (state.view === 'gallery') {
      renderGallery(item);
    } else {
      renderGrid(item);
      renderHead(item);
    }
    writeHash();
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    ['item', 'layer', 'head'].forEach(function (key) {
      var v = parseInt(params.get(key), 10);
      if (v >= 0) state[key] = v;
    });
    var item = data.items[clamp(state.item, 0, Math.max(0, data.items.length - 1))];
    if (item && !params.has('layer'))
      state.layer = hasSeries(item) ? item.series_layer : hasImage(item) && item.image_layer >= 0 ? item.image_layer : defaultLayer(item);
    if (['text', 'grid', 'image', 'gallery', 'series'].indexOf(params.get('view')) >= 0) state.view = params.get('view');
    var row = parseInt(params.get('row'), 10);
    if (row >= 0) state.row = row;
    var patch = (params.get('patch') || '').split(',').map(function (t) { return parseInt(t, 10); });
    var image = item ? item.image : null;
    if (image && patch.length === 2 && patch[0] >= 0 && patch[1] >= 0 && patch[0] < image.rows && patch[1] < image.cols)
      state.patch = patch[0] * image.cols + patch[1];
    var cell = (params.get('cell') || '').split(',').map(function (t) { return parseInt(t, 10); });
    return cell.length === 2 && cell[0] >= 0 && cell[1] >= 0 ? cell : null;
  }

  function onKey(e) {
    if (e.target && (e.target.tagName === 'SELECT' || e.target.tagName === 'INPUT')) return;
    if (!data.items.length || !data.items[state.item].layers.length || state.view !== 'grid') return;
    var heads = data.items[state.item].layers[state.layer].heads.length, at = order.indexOf(state.layer);
    if (e.key === 'ArrowRight') select(state.layer, (state.head + 1) % heads);
    else if (e.key === 'ArrowLeft') select(state.layer, (state.head + heads - 1) % heads);
    else if (e.key === 'ArrowDown') select(order[Math.min(order.length - 1, at + 1)], state.head);
    else if (e.key === 'ArrowUp') select(order[Math.max(0, at - 1)], state.head);
    else return;
    e.preventDefault();
  }
  // The layer a page opens on: the first cross-attention (what people come for), else the first.
  function defaultLayer(item) {
    var at = item ? item.layers.findIndex(function (L) { return L.kind === 'decoder_cross'; }) : -1;
    return Math.max(0, at);
  }

  // What a row sums to depends on the model's normalizer; the footer names the real one.
  function describeRows() {
    var facts = {};
    data.model.forEach(function (kv) { facts[kv[0]] = kv[1]; });
    $('row-sum').textContent = facts.attention === 'linear'
      ? 'linear attention rows are normalised by their key sums, without a softmax'
      : 'each row of a ' + (facts.normalizer || 'softmax') + ' map sums to 1';
  }

  renderMeta();
  describeRows();
  // A file of several pictures (attend --index 0-11) opens on all of them at once.
  if (hasImage(data.items[0]) && data.items[0].image_layer >= 0 && imageItems().length > 1) state.view = 'gallery';
  var linkedCell = readHash();  // also the layer an item opens on, when the URL names none
  $('item-select').addEventListener('change', function (e) {
    state.item = +e.target.value; state.layer = defaultLayer(data.items[state.item]); state.head = 0;
    state.view = null; state.patch = null; state.row = null; renderItem();
  });
  $('view-select').addEventListener('change', function (e) {
    var parts = e.target.value.split(':');
    state.view = parts[0]; state.row = null;
    if (+parts[1] >= 0) { state.layer = +parts[1]; state.head = +parts[2]; }
    renderItem();
  });
  $('scale').addEventListener('change', function (e) { state.scale = e.target.value; rasters.clear(); renderItem(); });
  $('zoom').addEventListener('input', function (e) {
    state.cell = +e.target.value;
    if (data.items.length) renderHead(data.items[state.item]);
  });
  $('fit').addEventListener('click', function () { state.cell = 0; if (data.items.length) renderHead(data.items[state.item]); });
  $('gallery-map').addEventListener('change', function (e) {
    var parts = e.target.value.split(':');
    state.layer = +parts[0]; state.head = +parts[1]; renderItem();
  });
  $('opacity').addEventListener('input', function (e) { state.opacity = +e.target.value / 100; renderItem(); });
  $('picture').addEventListener('mousemove', hoverPicture);
  $('picture').addEventListener('mouseleave', leavePicture);
  $('picture').addEventListener('click', clickPicture);
  $('series-figure').addEventListener('mousemove', hoverSeries);
  $('series-figure').addEventListener('mouseleave', leaveSeries);
  $('series-figure').addEventListener('click', clickSeries);
  $('heat-wrap').addEventListener('mousemove', hover);
  $('heat-wrap').addEventListener('mouseleave', clearHover);
  document.addEventListener('keydown', onKey);
  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      if (data.items.length && state.view === 'grid') { renderGrid(data.items[state.item]); renderHead(data.items[state.item]); }
      else if (data.items.length && state.view === 'image') renderImageView(data.items[state.item]);
    }, 150);
  });
  renderItem();
  if (linkedCell) focusCell(linkedCell[0], linkedCell[1]);
  body.setAttribute('data-ready', '1');
})();
)JS";
}

}  // namespace attn::viz::page
