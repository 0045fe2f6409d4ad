"""The roadmap as one self-contained web page: the headline figures, the roadmap as inline SVG
(the same drawing as the picture), hover or keyboard-focus details per initiative (dates, owner,
cost, NPV, why it is in the plan), lane filters, and a print style that fits one landscape page.
Nothing is fetched: styles, data and script are inside the file."""

from __future__ import annotations

import json
from datetime import date
from html import escape

from roadmap.board.content import (
    LANE_TITLES,
    headline_tiles,
    money,
    plan_name,
    status_tag,
    why_in_plan,
)
from roadmap.board.geometry import roadmap_pages
from roadmap.board.svg import page_svg
from roadmap.input.board_data import PlanPicture

_STYLE = """
:root { color-scheme: light; }
body { font-family: 'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif; color: #1a1a1a;
  margin: 16px 24px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 2px; }
.sub { color: #595959; margin: 0 0 12px; font-size: 13px; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 0 0 12px; padding: 0; }
.figures li { list-style: none; background: #f2f2f2; padding: 8px 12px; min-width: 150px; }
.figures .label { color: #595959; font-size: 12px; display: block; }
.figures .value { font-weight: bold; font-size: 20px; display: block; }
.figures .detail { color: #595959; font-size: 11px; display: block; }
.proof { font-weight: bold; margin: 0 0 10px; }
fieldset { border: 1px solid #d9d9d9; margin: 0 0 10px; padding: 6px 10px; font-size: 13px; }
fieldset label { margin-right: 14px; white-space: nowrap; }
fieldset button { font-size: 12px; margin-right: 6px; }
.chart svg { width: 100%; height: auto; display: block; }
.chart g.bar { cursor: pointer; outline: none; }
.chart g.bar:focus rect, .chart g.bar:hover rect { stroke: #1a1a1a; stroke-width: 1.5; }
#tip { position: fixed; display: none; max-width: 360px; background: #fff; color: #1a1a1a;
  border: 1px solid #595959; box-shadow: 0 2px 6px rgba(0,0,0,.25); padding: 8px 10px;
  font-size: 12px; line-height: 1.4; pointer-events: none; z-index: 10; }
#tip b { display: block; font-size: 13px; margin-bottom: 2px; }
#tip dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 0 8px; }
#tip dt { color: #595959; }
#tip dd { margin: 0; }
.foot { color: #595959; font-size: 11px; margin-top: 8px; }
@page { size: landscape; margin: 8mm; }
@media print {
  body { margin: 0; }
  fieldset, #tip, .foot { display: none; }
  .figures li { padding: 4px 8px; min-width: 0; }
  .figures .value { font-size: 14px; }
  .chart svg { max-height: 150mm; width: auto; max-width: 100%; }
  h1, .sub, .figures, .proof, .chart { break-inside: avoid; }
}
"""

_SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById('board-data').textContent);
  var svg = document.querySelector('.chart svg');
  var tip = document.getElementById('tip');
  var box = svg.viewBox.baseVal;
  var fullHeight = box.height;
  function row(k, v) { return v ? '<dt>' + k + '</dt><dd>' + v + '</dd>' : ''; }
  function esc(s) { var d = document.createElement('div'); d.textContent = s; return d.innerHTML; }
  function show(g, x, y) {
    var d = data.bars[g.getAttribute('data-id')];
    if (!d) { return; }
    tip.innerHTML = '<b>' + esc(d.id + ' ' + d.name) + '</b><dl>' +
      row('Start', esc(d.start)) + row('Go-live', esc(d.go_live)) +
      row('Ramp-up to', esc(d.ramp_end)) + row('Status', esc(d.status)) +
      row('Owner', esc(d.function)) + row('Team', esc(d.team)) +
      row('Cost', esc(d.cost)) + row('NPV', esc(d.npv)) +
      row('Why in plan', esc(d.why)) + '</dl>';
    tip.style.display = 'block';
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(x + 14, window.innerWidth - w - 4)) + 'px';
    tip.style.top = Math.max(4, Math.min(y + 14, window.innerHeight - h - 4)) + 'px';
  }
  function hide() { tip.style.display = 'none'; }
  svg.querySelectorAll('g.bar').forEach(function (g) {
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    var d = data.bars[g.getAttribute('data-id')];
    if (d) { g.setAttribute('aria-label', d.name + ', ' + d.start + ' to ' + d.go_live); }
    g.addEventListener('mousemove', function (e) { show(g, e.clientX, e.clientY); });
    g.addEventListener('mouseleave', hide);
    g.addEventListener('focus', function () {
      var r = g.getBoundingClientRect(); show(g, r.left, r.bottom);
    });
    g.addEventListener('blur', hide);
  });
  function apply() {
    var hidden = {};
    document.querySelectorAll('input[data-lane]').forEach(function (c) {
      if (!c.checked) { hidden[c.getAttribute('data-lane')] = true; }
    });
    var lanes = {};
    svg.querySelectorAll('g.lane').forEach(function (g) {
      lanes[g.getAttribute('data-lane')] = [parseFloat(g.getAttribute('data-top')),
                                            parseFloat(g.getAttribute('data-height'))];
    });
    var total = 0;
    Object.keys(hidden).forEach(function (k) { if (lanes[k]) { total += lanes[k][1]; } });
    svg.querySelectorAll('g.lane').forEach(function (g) {
      var name = g.getAttribute('data-lane');
      var top = lanes[name][0], shift = 0;
      Object.keys(hidden).forEach(function (k) {
        if (lanes[k] && lanes[k][0] < top) { shift += lanes[k][1]; }
      });
      g.style.display = hidden[name] ? 'none' : '';
      g.setAttribute('transform', 'translate(0,' + (-shift) + ')');
    });
    svg.querySelectorAll('line.span').forEach(function (l) {
      l.setAttribute('y2', parseFloat(l.getAttribute('data-y2')) - total);
    });
    var foot = svg.querySelector('g.foot');
    if (foot) { foot.setAttribute('transform', 'translate(0,' + (-total) + ')'); }
    svg.setAttribute('viewBox', '0 0 ' + box.width + ' ' + (fullHeight - total));
    svg.setAttribute('height', (fullHeight - total) + 'pt');
  }
  document.querySelectorAll('input[data-lane]').forEach(function (c) {
    c.addEventListener('change', apply);
  });
  // a link can name the lanes to show: page.html#lanes=Data,IT
  var wanted = /^#lanes=(.*)$/.exec(window.location.hash);
  if (wanted) {
    var keep = decodeURIComponent(wanted[1]).split(',');
    document.querySelectorAll('input[data-lane]').forEach(function (c) {
      c.checked = keep.indexOf(c.getAttribute('data-lane')) >= 0;
    });
    apply();
  }
  document.getElementById('all-lanes').addEventListener('click', function () {
    document.querySelectorAll('input[data-lane]').forEach(function (c) { c.checked = true; });
    apply();
  });
  document.getElementById('no-lanes').addEventListener('click', function () {
    document.querySelectorAll('input[data-lane]').forEach(function (c) { c.checked = false; });
    apply();
  });
})();
"""


def _json_for_script(value: object) -> str:
    """JSON that cannot close the script element it sits in."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def page_html(
    picture: PlanPicture, *, lanes_by: str = "function", today: date | None = None
) -> str:
    """The whole page as one HTML document."""
    page = roadmap_pages(picture, lanes_by=lanes_by, today=today, page_height=None)[0]
    svg = page_svg(page, element_ids=True, standalone=False)
    cur = picture.currency
    lane_of = dict(page.lane_of)
    bars = {
        b.id: {
            "id": b.id,
            "name": b.name,
            "start": b.start.isoformat(),
            "go_live": b.go_live.isoformat(),
            "ramp_end": b.ramp_end.isoformat(),
            "status": status_tag(picture, b) or b.status,
            "function": b.function,
            "team": b.team,
            "lane": lane_of.get(b.id, ""),
            "cost": "" if b.cost is None else money(b.cost, cur),
            "npv": "" if b.npv is None else money(b.npv, cur),
            "why": why_in_plan(picture, b),
        }
        for b in picture.bars
    }
    name = plan_name(picture)
    tiles = "".join(
        f'<li><span class="label">{escape(t.label)}</span><span class="value">'
        f'{escape(t.value)}</span><span class="detail">{escape(t.detail)}</span></li>'
        for t in headline_tiles(picture)
    )
    boxes = "".join(
        f'<label><input type="checkbox" checked data-lane="{escape(lane)}"> {escape(lane)}</label>'
        for lane in page.lanes
    )
    notes = "".join(f"<li>{escape(n)}</li>" for n in picture.notes)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Roadmap: {escape(name)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>Roadmap: {escape(name)}</h1>
<p class="sub">{escape(picture.subtitle)} · from {escape(picture.source)}</p>
<ul class="figures">{tiles}</ul>
<p class="proof">The plan is {escape(picture.headline.proof)}.</p>
<fieldset><legend>Lanes ({escape(LANE_TITLES[lanes_by])})</legend>
<button type="button" id="all-lanes">All</button><button type="button" id="no-lanes">None</button>
{boxes}</fieldset>
<div class="chart">{svg}</div>
<div id="tip" role="tooltip"></div>
<p class="foot">Hover over or tab to an initiative for its dates, owner, cost, NPV and why it is in
the plan; a link ending in #lanes=A,B opens with those lanes only. Drawn from
{escape(picture.source)}.</p>
{f'<ul class="foot">{notes}</ul>' if notes else ""}
<script type="application/json" id="board-data">{_json_for_script({"bars": bars})}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""
