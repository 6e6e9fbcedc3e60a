// The interactive part of map.html: pan and zoom, search, filters, details, expansion of
// collapsed nodes. Plain ES2017, no libraries; the diagram itself is pre-rendered SVG.
(function () {
  'use strict';
  var t0 = performance.now();
  var DATA = JSON.parse(document.getElementById('surveyor-data').textContent);
  var R = DATA.resources;
  // Display name and category come once per type.
  R.forEach(function (r) {
    var t = DATA.types[r.t] || ['?', '?', 'other'];
    r.t = t[0]; r.d = t[1]; r.c = t[2]; r.ic = !!(r.s & 1); r.il = !!(r.s & 2);
  });
  var SVGNS = 'http://www.w3.org/2000/svg';
  var SEV = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
  var $ = function (id) { return document.getElementById(id); };
  var canvas = $('canvas');

  // Resource-level edges, indexed both ways for the details panel.
  var outE = {}, inE = {};
  DATA.edges.forEach(function (e) {
    if (typeof e[0] === 'number') (outE[e[0]] = outE[e[0]] || []).push(e);
    if (typeof e[1] === 'number') (inE[e[1]] = inE[e[1]] || []).push(e);
  });

  var views = {};
  Object.keys(DATA.views).forEach(function (name) {
    var v = DATA.views[name];
    var svg = $('svg-' + name);
    var nodeEls = [], edgeEls = [], labelEls = [];
    svg.querySelectorAll('g.node').forEach(function (g) { nodeEls[+g.getAttribute('data-node')] = g; });
    svg.querySelectorAll('path.edge').forEach(function (p) { edgeEls[+p.getAttribute('data-edge')] = p; });
    svg.querySelectorAll('text.elabel').forEach(function (t) { labelEls[+t.getAttribute('data-edge')] = t; });
    var nodeOf = {};
    v.nodes = v.nodes.map(function (n) {
      return typeof n === 'number' ? { m: [n], a: [], l: R[n].n, s: R[n].d, c: R[n].c } : n;
    });
    v.nodes.forEach(function (n, i) {
      n.m.forEach(function (r) { nodeOf[r] = i; });
      n.a.forEach(function (r) { if (!(r in nodeOf)) nodeOf[r] = i; });
    });
    var w = +svg.getAttribute('data-width'), h = +svg.getAttribute('data-height');
    views[name] = { name: name, data: v, svg: svg, nodes: nodeEls, edges: edgeEls, labels: labelEls,
      nodeOf: nodeOf, full: { x: 0, y: 0, w: w, h: h }, vb: { x: 0, y: 0, w: w, h: h } };
  });
  var cur = views.network || views[Object.keys(views)[0]];
  // SVG elements have no `hidden` property: set the attribute itself.
  function showView() {
    Object.keys(views).forEach(function (n) {
      if (views[n] === cur) views[n].svg.removeAttribute('hidden');
      else views[n].svg.setAttribute('hidden', '');
    });
  }
  showView();

  // ---- pan and zoom (the viewBox is the camera)
  // Screen pixels per diagram unit decide the level of detail: node text below ~5 px is
  // left out of rendering, which keeps thousands of nodes fast.
  // From the window, not the canvas: measuring the canvas during setup would force a layout
  // of the whole page before its first paint.
  function winBox() { return { w: Math.max(400, window.innerWidth), h: Math.max(300, window.innerHeight - 150) }; }
  var box = winBox();
  window.addEventListener('resize', function () { box = winBox(); });
  function setVB(v, vb) {
    v.vb = vb;
    v.svg.setAttribute('viewBox', vb.x + ' ' + vb.y + ' ' + vb.w + ' ' + vb.h);
    var scale = Math.min(box.w / vb.w, box.h / vb.h);
    v.svg.classList.toggle('lod', v.data.nodes.length > 300 && scale < 0.45);
  }
  // Dimming everything else is a style change on every node: only for diagrams of a size
  // where that stays instant.
  function dims(v) { return v.data.nodes.length <= 1500; }
  function fit(v) {
    var f = v.full, m = 10;
    setVB(v, { x: f.x - m, y: f.y - m, w: f.w + 2 * m, h: f.h + 2 * m });
  }
  // Screen point → diagram point, from the rendered box (meet keeps aspect, centred).
  function toDiagram(v, cx, cy) {
    var r = v.svg.getBoundingClientRect();
    var s = Math.max(v.vb.w / r.width, v.vb.h / r.height);
    var ox = (r.width * s - v.vb.w) / 2, oy = (r.height * s - v.vb.h) / 2;
    return { x: v.vb.x - ox + (cx - r.left) * s, y: v.vb.y - oy + (cy - r.top) * s, s: s };
  }
  function zoom(v, factor, cx, cy) {
    var r = v.svg.getBoundingClientRect();
    if (cx === undefined) { cx = r.left + r.width / 2; cy = r.top + r.height / 2; }
    var p = toDiagram(v, cx, cy);
    var w = v.vb.w * factor, h = v.vb.h * factor;
    if (w < 80 || w > v.full.w * 8 + 400) return;
    setVB(v, { x: p.x - (p.x - v.vb.x) * factor, y: p.y - (p.y - v.vb.y) * factor, w: w, h: h });
  }
  function centerOn(v, x, y, minZoomW) {
    var w = Math.min(v.vb.w, minZoomW || v.vb.w), h = v.vb.h * (w / v.vb.w);
    setVB(v, { x: x - w / 2, y: y - h / 2, w: w, h: h });
  }
  canvas.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    zoom(cur, ev.deltaY > 0 ? 1.15 : 1 / 1.15, ev.clientX, ev.clientY);
  }, { passive: false });
  var drag = null;
  canvas.addEventListener('pointerdown', function (ev) {
    if (ev.button !== 0 || ev.target.closest('g.node, .expansion, .glabel')) return;
    drag = { x: ev.clientX, y: ev.clientY, vb: cur.vb, moved: false };
    canvas.classList.add('panning');
  });
  window.addEventListener('pointermove', function (ev) {
    if (!drag) return;
    var s = toDiagram(cur, 0, 0).s;
    var dx = (ev.clientX - drag.x) * s, dy = (ev.clientY - drag.y) * s;
    if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
    setVB(cur, { x: drag.vb.x - dx, y: drag.vb.y - dy, w: drag.vb.w, h: drag.vb.h });
  });
  window.addEventListener('pointerup', function () {
    if (drag && !drag.moved) clearSelection();
    drag = null;
    canvas.classList.remove('panning');
  });
  $('zin').onclick = function () { zoom(cur, 1 / 1.3); };
  $('zout').onclick = function () { zoom(cur, 1.3); };
  $('zfit').onclick = function () { fit(cur); };
  window.addEventListener('beforeprint', function () { fit(cur); });

  // ---- helpers for the details panel
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function resBtn(i) {
    if (typeof i !== 'number') return '<code>' + esc(i) + '</code>';
    var r = R[i];
    return '<button type="button" class="res" data-res="' + i + '">' + esc(r.n) + '</button> <span class="muted">' + esc(r.d) + '</span>';
  }
  function where(r) {
    var c = r.code;
    if (!c || !c.file) return '';
    return esc(c.file) + (c.line ? ':' + c.line : '');
  }
  function row(k, v) { return v ? '<tr><th>' + esc(k) + '</th><td>' + v + '</td></tr>' : ''; }
  function pre(o) { return '<pre>' + esc(JSON.stringify(o, null, 2)) + '</pre>'; }

  function resourceHTML(i) {
    var r = R[i], h = '';
    h += '<h3>' + esc(r.n) + '</h3><div class="muted">' + esc(r.d) + ' · <code>' + esc(r.t) + '</code></div>';
    var side = r.ic && r.il ? 'code and live' : r.ic ? 'code only' : r.il ? 'live only' : '—';
    h += '<table>' + row('id', '<code>' + esc(r.id) + '</code>') + row('ARN', r.arn ? '<code>' + esc(r.arn) + '</code>' : '') +
      row('physical id', r.pid ? '<code>' + esc(r.pid) + '</code>' : '') + row('region', esc(r.region || '')) +
      row('seen in', side) + row('declared at', where(r) ? '<code class="loc">' + where(r) + '</code>' : '') +
      row('address', r.code && r.code.address ? '<code>' + esc(r.code.address) + '</code>' : '') +
      row('stack', esc((r.code && r.code.stack) || r.stack || '')) +
      row('template', r.code && r.code.template ? '<code>' + esc(r.code.template) + (r.code.template_line ? ':' + r.code.template_line : '') + '</code>' : '') +
      '</table>';
    if (r.drift) {
      h += '<h4>Drift</h4><ul>' + r.drift.map(function (d) {
        return '<li><b>' + esc(d.kind) + '</b>' + (d.attribute ? ' <code>' + esc(d.attribute) + '</code>' : '') +
          (d.code !== undefined ? ' code <code>' + esc(JSON.stringify(d.code)) + '</code>' : '') +
          (d.live !== undefined ? ' live <code>' + esc(JSON.stringify(d.live)) + '</code>' : '') + '</li>';
      }).join('') + '</ul>';
    }
    if (r.f) {
      h += '<h4>Findings</h4><ul>' + r.f.map(function (f) {
        return '<li><span class="sev sev-' + esc(f.severity) + '">' + esc(f.severity) + '</span> <b>' + esc(f.title) +
          '</b> <code>' + esc(f.rule) + '</code><br>' + esc(f.why) + '<br><i>Evidence:</i> ' + esc(f.evidence) +
          '<br><i>Do:</i> ' + esc(f.action) + '</li>';
      }).join('') + '</ul>';
    }
    var outs = outE[i] || [], ins = inE[i] || [];
    if (outs.length) h += '<h4>Out (' + outs.length + ')</h4><ul>' + outs.map(function (e) {
      return '<li>' + esc(e[2]) + (e[3] ? ' <span class="muted">' + esc(e[3]) + '</span>' : '') + ' → ' + resBtn(e[1]) + '</li>';
    }).join('') + '</ul>';
    if (ins.length) h += '<h4>In (' + ins.length + ')</h4><ul>' + ins.map(function (e) {
      return '<li>' + esc(e[2]) + (e[3] ? ' <span class="muted">' + esc(e[3]) + '</span>' : '') + ' ← ' + resBtn(e[0]) + '</li>';
    }).join('') + '</ul>';
    if (r.state) h += '<h4>State</h4>' + pre(r.state);
    if (r.attrs) h += '<details open><summary><h4 style="display:inline">Attributes</h4></summary>' + pre(r.attrs) + '</details>';
    if (r.tags) h += '<details><summary><h4 style="display:inline">Tags</h4></summary>' + pre(r.tags) + '</details>';
    return h;
  }

  function nodeHTML(v, ni) {
    var n = v.data.nodes[ni], h = '';
    if (n.m.length === 1) h = resourceHTML(n.m[0]);
    else {
      h += '<h3>' + esc(n.l) + '</h3><div class="muted">' + esc(n.s) + ' (collapsed)</div><h4>Members</h4><ul>' +
        n.m.map(function (i) {
          var r = R[i], marks = (r.drift ? ' <b class="mk drift-drift">drift</b>' : '') +
            (r.f ? ' <b class="mk sev-' + esc(r.f[0].severity) + '">' + r.f.length + '</b>' : '');
          return '<li>' + resBtn(i) + marks + (where(r) ? ' <code class="loc">' + where(r) + '</code>' : '') + '</li>';
        }).join('') + '</ul>';
    }
    if (n.a.length) {
      h += '<h4>Also here (not drawn)</h4><ul>' + n.a.map(function (i) { return '<li>' + resBtn(i) + '</li>'; }).join('') + '</ul>';
    }
    return h;
  }

  var panel = $('details'), body = $('dbody');
  function showPanel(html) { body.innerHTML = html; panel.hidden = false; body.scrollTop = 0; }
  $('dclose').onclick = function () { clearSelection(); };
  panel.addEventListener('click', function (ev) {
    var b = ev.target.closest('button.res');
    if (b) selectResource(+b.getAttribute('data-res'), true);
  });
  document.querySelector('.report').addEventListener('click', function (ev) {
    var b = ev.target.closest('button.res');
    if (!b) return;
    selectResource(+b.getAttribute('data-res'), true);
    canvas.scrollIntoView({ behavior: 'smooth', block: 'start' });
  });

  // ---- selection and expansion
  function closeExpansion(v) {
    var x = v.svg.querySelector('.expansion');
    if (x) x.parentNode.removeChild(x);
  }
  function clearSelection() {
    Object.keys(views).forEach(function (k) {
      var v = views[k];
      v.svg.classList.remove('focus');
      v.svg.querySelectorAll('.sel, .near, .hl').forEach(function (e) { e.classList.remove('sel', 'near', 'hl'); });
      closeExpansion(v);
    });
    panel.hidden = true;
  }
  function nodeBox(v, ni) {
    var g = v.nodes[ni], t = g.getAttribute('transform').match(/translate\(([-\d.]+),([-\d.]+)\)/);
    var rect = document.querySelector('#nb rect.box');
    return { x: +t[1], y: +t[2], w: +rect.getAttribute('width'), h: +rect.getAttribute('height') };
  }
  function highlight(v, ni) {
    clearSelection();
    if (dims(v)) v.svg.classList.add('focus');
    var g = v.nodes[ni];
    if (g) g.classList.add('sel');
    v.data.edges.forEach(function (e, i) {
      if (e[0] === ni || e[1] === ni) {
        if (v.edges[i]) v.edges[i].classList.add('hl');
        if (v.labels[i]) v.labels[i].classList.add('hl');
        var o = e[0] === ni ? e[1] : e[0];
        if (v.nodes[o]) v.nodes[o].classList.add('near');
      }
    });
  }
  function expand(v, ni) {
    var n = v.data.nodes[ni], b = nodeBox(v, ni);
    var show = n.m.slice(0, 60), cols = Math.min(3, Math.ceil(Math.sqrt(show.length / 2)) || 1);
    var cw = 180, ch = 22, pad = 10, rows = Math.ceil(show.length / cols);
    var w = cols * (cw + 6) + 2 * pad - 6, h = 28 + rows * (ch + 4) + pad + (n.m.length > show.length ? 18 : 0);
    var g = document.createElementNS(SVGNS, 'g');
    g.setAttribute('class', 'expansion');
    g.setAttribute('transform', 'translate(' + (b.x + b.w + 12) + ',' + b.y + ')');
    var html = '<rect class="bg" width="' + w + '" height="' + h + '" rx="8"></rect><text class="title" x="' + pad + '" y="18">' +
      esc(n.s) + '</text>';
    show.forEach(function (ri, k) {
      var x = pad + (k % cols) * (cw + 6), y = 28 + Math.floor(k / cols) * (ch + 4), r = R[ri];
      var name = r.n.length > 27 ? r.n.slice(0, 26) + '…' : r.n;
      html += '<g class="chipm" data-res="' + ri + '" transform="translate(' + x + ',' + y + ')"><rect width="' + cw + '" height="' + ch +
        '" rx="4"></rect><text x="6" y="15">' + esc(name) + '</text><title>' + esc(r.n) + '</title></g>';
    });
    if (n.m.length > show.length) html += '<text x="' + pad + '" y="' + (h - 8) + '">… and ' + (n.m.length - show.length) + ' more (listed in the panel)</text>';
    g.innerHTML = html;
    g.addEventListener('click', function (ev) {
      var c = ev.target.closest('.chipm');
      if (c) showPanel(resourceHTML(+c.getAttribute('data-res')));
      ev.stopPropagation();
    });
    g.addEventListener('pointerdown', function (ev) { ev.stopPropagation(); });
    v.svg.querySelector('.viewport').appendChild(g);
  }
  function showGroup(v, gi) {
    var g = v.data.groups[gi];
    clearSelection();
    if (g.r.length === 1) { showPanel(resourceHTML(g.r[0])); return; }
    showPanel('<h3>' + esc(g.l) + '</h3><ul>' + g.r.map(function (i) {
      return '<li>' + resBtn(i) + (R[i].attrs && R[i].attrs.CidrBlock ? ' <code>' + esc(R[i].attrs.CidrBlock) + '</code>' : '') + '</li>';
    }).join('') + '</ul>');
  }
  function selectNode(v, ni, center) {
    highlight(v, ni);
    var n = v.data.nodes[ni];
    if (n.m.length > 1) expand(v, ni);
    showPanel(nodeHTML(v, ni));
    if (center) { var b = nodeBox(v, ni); centerOn(v, b.x + b.w / 2, b.y + b.h / 2, 1400); }
  }
  function selectResource(ri, center) {
    var v = cur, ni = v.nodeOf[ri];
    if (ni === undefined) {
      clearSelection();
      showPanel(resourceHTML(ri));
      return;
    }
    highlight(v, ni);
    if (center) { var b = nodeBox(v, ni); centerOn(v, b.x + b.w / 2, b.y + b.h / 2, 1400); }
    showPanel(v.data.nodes[ni].m.length === 1 && v.data.nodes[ni].m[0] === ri ? nodeHTML(v, ni) : resourceHTML(ri));
  }
  Object.keys(views).forEach(function (k) {
    var v = views[k];
    v.svg.addEventListener('click', function (ev) {
      var g = ev.target.closest('g.node');
      if (g) { selectNode(v, +g.getAttribute('data-node'), false); return; }
      var gl = ev.target.closest('g.group[data-boxed]');
      if (gl && ev.target.classList.contains('glabel')) showGroup(v, +gl.getAttribute('data-group'));
    });
  });

  // ---- search
  var q = $('q'), qcount = $('qcount'), hits = [];
  function search() {
    var s = q.value.trim().toLowerCase();
    Object.keys(views).forEach(function (k) {
      views[k].svg.classList.remove('searching');
      views[k].svg.querySelectorAll('.hit').forEach(function (e) { e.classList.remove('hit'); });
    });
    hits = [];
    if (!s) { qcount.textContent = ''; return; }
    var v = cur, found = {}, nres = 0;
    R.forEach(function (r, i) {
      if ((r.n + '\n' + r.id + '\n' + r.t + '\n' + r.d + '\n' + (r.arn || '')).toLowerCase().indexOf(s) < 0) return;
      nres++;
      var ni = v.nodeOf[i];
      if (ni !== undefined && !found[ni]) { found[ni] = true; hits.push(ni); }
    });
    if (dims(v)) v.svg.classList.add('searching');
    hits.forEach(function (ni) { if (v.nodes[ni]) v.nodes[ni].classList.add('hit'); });
    qcount.textContent = nres + ' match' + (nres === 1 ? '' : 'es') + ' in ' + hits.length + ' node' + (hits.length === 1 ? '' : 's');
  }
  var qt = null;
  q.addEventListener('input', function () { clearTimeout(qt); qt = setTimeout(search, 120); });
  q.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { clearTimeout(qt); search(); if (hits.length) selectNode(cur, hits[0], true); }
    if (ev.key === 'Escape') { q.value = ''; search(); }
  });

  // ---- filters
  var catOff = {};
  document.querySelectorAll('.chip').forEach(function (c) {
    c.addEventListener('click', function () {
      var k = c.getAttribute('data-cat');
      catOff[k] = !catOff[k];
      c.setAttribute('aria-pressed', catOff[k] ? 'false' : 'true');
      applyFilters();
    });
  });
  ['fdrift', 'fsev', 'fminor'].forEach(function (id) { $(id).addEventListener('change', applyFilters); });
  function applyFilters() {
    var fd = $('fdrift').value, fs = SEV[$('fsev').value] || 0, minor = $('fminor').checked;
    Object.keys(views).forEach(function (k) {
      var v = views[k], shown = [];
      v.svg.classList.toggle('show-minor', minor);
      v.data.nodes.forEach(function (n, i) {
        var g = v.nodes[i];
        if (!g) return;
        var d = g.getAttribute('data-drift') || 'none', sv = SEV[g.getAttribute('data-sev')] || 0;
        var ok = !catOff[n.c] && (!fd || (fd === 'any' ? d !== 'none' : d === (fd === 'changed' ? 'drift' : fd))) && sv >= fs;
        g.classList.toggle('off', !ok);
        shown[i] = ok;
      });
      v.data.edges.forEach(function (e, i) {
        var off = !shown[e[0]] || !shown[e[1]];
        if (v.edges[i]) v.edges[i].classList.toggle('off', off);
        if (v.labels[i]) v.labels[i].classList.toggle('off', off);
      });
    });
  }

  // Resource tables of big maps are filled from the data when opened (same columns as the
  // static ones).
  function fillRows(tb) {
    var order = tb.getAttribute('data-rows');
    if (order === null) return;
    tb.removeAttribute('data-rows');
    tb.innerHTML = order ? order.split(',').map(function (k) {
      var i = +k, r = R[i], side = r.ic && r.il ? 'both' : r.ic ? 'code' : r.il ? 'live' : '—';
      return '<tr><td><button class="res" data-res="' + i + '">' + esc(r.n) + '</button></td><td>' + esc(r.d) +
        '</td><td>' + (where(r) ? '<code>' + where(r) + '</code>' : '') + '</td><td>' +
        esc((r.code && r.code.stack) || r.stack || '') + '</td><td>' + side + '</td></tr>';
    }).join('') : '';
  }
  document.querySelectorAll('details.cat').forEach(function (d) {
    var tb = d.querySelector('tbody[data-rows]');
    if (!tb) return;
    if (d.open) fillRows(tb);
    d.addEventListener('toggle', function () { if (d.open) fillRows(tb); });
  });
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('tbody[data-rows]').forEach(fillRows);
  });

  $('view').addEventListener('change', function () {
    clearSelection();
    cur = views[$('view').value] || cur;
    showView();
    search();
  });

  Object.keys(views).forEach(function (k) { fit(views[k]); });

  // What the page drew, for tests and for the console.
  function drawn(v) {
    var s = v || cur;
    var visible = function (e) { return !e.classList.contains('off') && getComputedStyle(e).display !== 'none'; };
    return {
      view: s.name,
      nodes: s.svg.querySelectorAll('g.node').length,
      edges: s.svg.querySelectorAll('path.edge').length,
      visibleNodes: Array.prototype.filter.call(s.svg.querySelectorAll('g.node'), visible).length,
      visibleEdges: Array.prototype.filter.call(s.svg.querySelectorAll('path.edge'), visible).length,
      members: Array.prototype.reduce.call(s.svg.querySelectorAll('g.node'), function (a, g) { return a + (+(g.getAttribute('data-count') || 1)); }, 0),
      edgeFacts: Array.prototype.reduce.call(s.svg.querySelectorAll('path.edge'), function (a, p) { return a + (+(p.getAttribute('data-count') || 1)); }, 0)
    };
  }
  window.surveyorMap = {
    summary: DATA.summary,
    stats: Object.keys(views).reduce(function (o, k) { o[k] = DATA.views[k].stats; return o; }, {}),
    drawn: drawn,
    view: function () { return cur.name; },
    select: function (ri) { selectResource(ri, true); },
    setupMs: performance.now() - t0,
    readyAt: performance.now(),
    // Set once the first frame after setup has been drawn.
    paintedAt: 0
  };
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { window.surveyorMap.paintedAt = performance.now(); });
  });
})();
