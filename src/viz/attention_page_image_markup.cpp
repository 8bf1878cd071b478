#include "viz/attention_page_assets.h"

namespace attn::viz::page {

std::string_view image_style() {
  return R"CSS(
#image-view, #gallery-view { margin: 12px 16px 16px; padding: 14px 18px 16px; }
.image-layout { display: grid; grid-template-columns: min-content minmax(0, 1fr); gap: 12px 28px; align-items: start; }
@media (max-width: 900px) { .image-layout { grid-template-columns: minmax(0, 1fr); } }
#picture-column { min-width: 280px; }
#picture-column .head-bar h2 { font-size: 13px; }
.image-about { font: 12px var(--mono); color: var(--muted); }
#picture { display: block; margin: 10px 0 8px; cursor: crosshair; }
.image-scale { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; font-size: 12px; color: var(--muted); }
#image-shows { font: 12px var(--mono); color: var(--ink); flex: 1 1 100%; }
.image-scale .scale { display: flex; align-items: center; gap: 6px; font: 11px var(--mono); }
#image-colorbar { width: 120px; height: 12px; border: 1px solid var(--line); border-radius: 2px; }
.image-scale label { display: flex; align-items: center; gap: 5px; }
#opacity { width: 90px; }
#image-hint { font-size: 12px; color: var(--muted); margin: 8px 0 0; }
#maps-column h2 { font-size: 14px; margin: 0 0 4px; font-weight: 650; }
#maps-column h2 small { font-weight: 400; color: var(--muted); margin-left: 6px; }
.map-row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 10px; margin-bottom: 8px; }
.map-row .layer-label { width: 56px; }
figure.map-thumb { margin: 0; cursor: pointer; text-align: center; font: 11px var(--mono); color: var(--muted); }
figure.map-thumb canvas { display: block; border: 2px solid transparent; border-radius: 3px; }
figure.map-thumb:hover canvas { border-color: #7b93b5; }
figure.map-thumb.selected canvas { border-color: var(--accent); }
figure.map-thumb.selected figcaption { color: var(--accent); font-weight: 700; }
.gallery-bar { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 16px; margin-bottom: 12px; }
.gallery-bar h2 { margin: 0; font-size: 15px; }
#gallery-summary { color: var(--muted); font-size: 13px; }
.gallery-bar .picker { margin-left: auto; }
#gallery-map { max-width: 52ch; }
#gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(176px, 1fr)); gap: 12px; }
figure.card { margin: 0; padding: 8px 8px 6px; border: 1px solid var(--line); border-radius: 8px; background: #fff;
  cursor: pointer; min-width: 0; }
figure.card:hover { border-color: var(--accent); }
figure.card canvas { display: block; margin: 0 auto 6px; }
figure.card.wrong { border-color: #dc2626; box-shadow: inset 0 0 0 2px #dc2626; background: #fff5f5; }
.card-id { font: 11px var(--mono); color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.card-pred, .card-true { font-size: 12px; overflow-wrap: anywhere; line-height: 1.5; }
.card-pred .k, .card-true .k { color: var(--muted); }
.card-label { font-weight: 650; }
.card-prob { font: 11px var(--mono); color: var(--muted); white-space: nowrap; }
.card .verdict { margin-left: 6px; font-size: 11px; padding: 0 6px; white-space: nowrap; }
)CSS";
}

std::string_view image_markup() {
  return R"HTML(<section class="panel" id="image-view" hidden>
  <div id="image-prediction" class="prediction"></div>
  <div class="image-layout">
    <div id="picture-column">
      <div class="head-bar"><h2 id="image-title"></h2><span class="kind-badge" id="image-kind"></span></div>
      <div class="image-about" id="image-grid"></div>
      <canvas id="picture"></canvas>
      <div class="image-scale"><span id="image-shows"></span>
        <span class="scale">0<canvas id="image-colorbar" width="120" height="12"></canvas><span id="image-max"></span></span>
        <label>overlay <input type="range" id="opacity" min="0" max="100" step="5"></label>
      </div>
      <p id="image-hint"></p>
    </div>
    <div id="maps-column">
      <h2>Maps <small>click one to lay it over the picture</small></h2>
      <div id="image-maps"></div>
    </div>
  </div>
</section>
<section class="panel" id="gallery-view" hidden>
  <div class="gallery-bar"><h2 id="gallery-count"></h2><span id="gallery-summary"></span>
    <label class="picker">overlay <select id="gallery-map"></select></label></div>
  <div id="gallery"></div>
</section>
<footer id="image-footer" hidden>Each patch is tinted by its weight in the map, from clear at 0 to deep red at the
  map's largest weight over the patches (the colour bar shows the tint over black and over white). A map with a row
  per patch shows the &lt;cls&gt; row, or without one the mean over the patches' rows: the attention each patch
  receives.</footer>
)HTML";
}

}  // namespace attn::viz::page
