#include "viz/attention_page_assets.h"

namespace attn::viz::page {

// The gallery: every image item of the file as a card (its picture under the same map, the
// predicted label with its probability, the true one), wrong predictions marked, a click opening
// the card's picture view. Function declarations only, like the picture view's, whose drawPicture
// it uses.
std::string_view gallery_script() {
  return R"JS(
  function imageItems() {
    var found = [];
    data.items.forEach(function (item, i) { if (hasImage(item)) found.push(i); });
    return found;
  }

  function isWrong(item) {
    var p = item.prediction;
    return Boolean(p && p.reference !== null && p.reference !== p.label);
  }

  // The gallery lays the same map over every picture: the chosen map, found by name in each
  // item, else that item's own default map.
  function galleryMap(item) {
    var chosen = data.items[state.item].layers[state.layer], at = -1;
    if (chosen && coversPatches(chosen)) {
      at = item.layers.findIndex(function (L) { return L.name === chosen.name && coversPatches(L); });
    }
    if (at < 0) return { layer: item.image_layer, head: 0 };
    return { layer: at, head: Math.min(state.head, item.layers[at].overlays.length - 1) };
  }

  function renderGalleryPicker(item) {
    var picker = $('gallery-map');
    picker.replaceChildren();
    imageLayers(item).forEach(function (li) {
      var L = item.layers[li];
      L.overlays.forEach(function (w, h) {
        picker.appendChild(el('option', '', L.name + ' \u00b7 ' + L.titles[h] + ' \u00b7 ' + L.overlay_about)).value = li + ':' + h;
      });
    });
    picker.value = state.layer + ':' + state.head;
  }

  function galleryCard(i) {
    var item = data.items[i], at = galleryMap(item), L = item.layers[at.layer], p = item.prediction;
    var card = el('figure', 'card' + (isWrong(item) ? ' wrong' : ''));
    var canvas = el('canvas');
    drawPicture(canvas, item.image, L.overlays[at.head], Math.max(2, Math.floor(140 / item.image.width)), state.opacity);
    card.appendChild(canvas);
    var caption = el('figcaption');
    caption.appendChild(el('div', 'card-id', '#' + item.index + ' \u00b7 ' + item.input));
    if (p) {
      var predicted = el('div', 'card-pred');
      predicted.appendChild(el('span', 'k', 'predicted '));
      predicted.appendChild(el('span', 'card-label', p.label));
      predicted.appendChild(el('span', 'card-prob', ' ' + Math.round(p.probability * 100) + '%'));
      caption.appendChild(predicted);
      var truth = el('div', 'card-true');
      truth.appendChild(el('span', 'k', 'true '));
      truth.appendChild(el('span', 'card-label', p.reference === null ? 'unknown' : p.reference));
      if (p.reference !== null) {
        truth.appendChild(el('span', 'verdict ' + (isWrong(item) ? 'incorrect' : 'correct'),
                             isWrong(item) ? '\u2717 wrong' : '\u2713'));
      }
      caption.appendChild(truth);
    }
    card.appendChild(caption);
    card.title = 'example ' + item.index + ' \u00b7 ' + L.name + ' \u00b7 ' + L.titles[at.head] + ' \u00b7 ' +
                 L.overlay_about + ' \u00b7 click to open';
    card.tabIndex = 0;
    card.setAttribute('role', 'button');
    var open = function () {
      state.item = i; state.view = 'image'; state.layer = at.layer; state.head = at.head; state.patch = null;
      renderItem();
      window.scrollTo(0, 0);
    };
    card.addEventListener('click', open);
    card.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { open(); e.preventDefault(); } });
    return card;
  }

  function renderGallery(item) {
    var box = $('gallery'), shown = imageItems(), wrong = 0, known = 0;
    box.replaceChildren();
    shown.forEach(function (i) {
      box.appendChild(galleryCard(i));
      var p = data.items[i].prediction;
      if (p && p.reference !== null) known += 1;
      if (isWrong(data.items[i])) wrong += 1;
    });
    renderGalleryPicker(item);
    $('gallery-count').textContent = shown.length + (shown.length === 1 ? ' picture' : ' pictures');
    $('gallery-summary').textContent = known ? (known - wrong) + ' of ' + known + ' predicted right \u00b7 ' + wrong +
                                               ' wrong (marked red)' : 'no true labels in this file';
    body.setAttribute('data-gallery-cards', String(shown.length));
    body.setAttribute('data-gallery-wrong', String(wrong));
  }
)JS";
}

}  // namespace attn::viz::page
