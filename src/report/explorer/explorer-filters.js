// The example explorer's one script (explorer.html): plain browser JavaScript, run under a CSP that admits this
// file's hash only. Data comes from the page's JSON blocks; every dataset string reaches the DOM as textContent,
// never as markup. Only the rows in view exist in the DOM, so 100,000 examples scroll like ten.
// Joined after explorer-diff.js inside one function by explorer-page.ts (hence no wrapper of its own here).
var meta = JSON.parse(document.getElementById('rmb-meta').textContent)
var items = JSON.parse(document.getElementById('rmb-items').textContent)
var N = items.length
var R = meta.runs.length
var ROW = 48
var STATUS = ['right', 'wrong', 'tie', 'partial', 'none', 'failed']

// Columns computed once, in typed arrays: filtering and sorting then touch numbers, not objects.
var groups = []
var groupIx = new Map()
var sections = []
var sectionSet = new Set()
var group = new Int32Array(N)
var margin = []
var credit = []
var status = []
for (var r = 0; r < R; r++) {
  margin.push(new Float64Array(N))
  credit.push(new Float64Array(N))
  status.push(new Uint8Array(N))
}
var lenDiff = new Float64Array(N)
for (var i = 0; i < N; i++) {
  var it = items[i]
  if (!groupIx.has(it.g)) {
    groupIx.set(it.g, groups.length)
    groups.push(it.g)
  }
  group[i] = groupIx.get(it.g)
  for (var k = 0; k < it.sec.length; k++)
    if (!sectionSet.has(it.sec[k])) {
      sectionSet.add(it.sec[k])
      sections.push(it.sec[k])
    }
  lenDiff[i] = it.lc === null || it.lr === null ? NaN : it.lc - it.lr
  for (r = 0; r < R; r++) {
    var x = it.x[r]
    margin[r][i] = x && x.m !== null ? x.m : NaN
    credit[r][i] = x && x.c !== null ? x.c : NaN
    status[r][i] = statusOf(x)
  }
}
groups.sort()
sections.sort()

function statusOf(x) {
  if (!x) return 5
  if (x.c === null) return 4
  if (x.t) return 2
  if (x.c === 1) return 0
  if (x.c === 0) return 1
  return 3
}

var hay = null
function haystack() {
  // Built on the first search only: most visits never search.
  if (hay) return hay
  hay = new Array(N)
  for (var i = 0; i < N; i++) {
    var it = items[i]
    var parts = [it.id]
    for (var a = 0; a < it.p.length; a++) parts.push(it.p[a][1])
    for (var b = 0; b < it.r.length; b++) parts.push(it.r[b][1])
    hay[i] = parts.join('\n').toLowerCase()
  }
  return hay
}

// ---- controls ----
var form = document.getElementById('filters')
form.addEventListener('submit', function (e) { e.preventDefault() })
function el(tag, attrs, text) {
  var e = document.createElement(tag)
  for (var a in attrs || {}) e.setAttribute(a, attrs[a])
  if (text !== undefined) e.textContent = text
  return e
}
function labelled(text, input) {
  var l = el('label', {}, text)
  l.appendChild(input)
  form.appendChild(l)
  return input
}
function select(text, name, options) {
  var s = el('select', { name: name, id: 'f-' + name })
  options.forEach(function (o) { s.appendChild(el('option', { value: o[0] }, o[1])) })
  return labelled(text, s)
}
var q = labelled('search prompt and responses', el('input', { type: 'search', id: 'f-q', placeholder: 'text…' }))
var gSel = select('subset', 'group', [['', 'all subsets (' + groups.length + ')']].concat(groups.map(function (g) { return [g, g] })))
var sSel = sections.length ? select('section', 'section', [['', 'all sections']].concat(sections.map(function (s) { return [s, s] }))) : null
var pairSel = null
var boxes = []
if (R === 2) {
  pairSel = select('pairs', 'pairs', [
    ['all', 'all paired examples'],
    ['discordant', 'discordant (A and B differ)'],
    ['a-better', meta.runs[0] + ' right, ' + meta.runs[1] + ' wrong'],
    ['b-better', meta.runs[0] + ' wrong, ' + meta.runs[1] + ' right'],
    ['both-right', 'both right'],
    ['both-wrong', 'both wrong'],
  ])
  pairSel.value = meta.opensOn === 'discordant' ? 'discordant' : 'all'
} else {
  var fs = el('fieldset', { id: 'f-outcome' })
  fs.appendChild(el('legend', {}, 'outcome'))
  STATUS.forEach(function (name, s) {
    var present = false
    for (var i = 0; i < N && !present; i++) present = status[0][i] === s
    if (!present) return
    var l = el('label', {})
    var box = el('input', { type: 'checkbox', name: 'outcome', value: name, id: 'f-outcome-' + name })
    box.checked = true
    box.dataset.status = String(s)
    boxes.push(box)
    l.appendChild(box)
    l.appendChild(document.createTextNode(name))
    fs.appendChild(l)
  })
  form.appendChild(fs)
}
var mOf = R === 2 ? select('margin of', 'margin-of', [['0', meta.runs[0]], ['1', meta.runs[1]], ['d', meta.runs[1] + ' − ' + meta.runs[0]]]) : null
var mMin = labelled('margin ≥', el('input', { type: 'number', step: 'any', id: 'f-mmin' }))
var mMax = labelled('margin ≤', el('input', { type: 'number', step: 'any', id: 'f-mmax' }))
var lMin = labelled('length diff. ≥', el('input', { type: 'number', step: 'any', id: 'f-lmin', title: 'characters of the chosen response − the rejected (mean of several)' }))
var lMax = labelled('length diff. ≤', el('input', { type: 'number', step: 'any', id: 'f-lmax' }))
var sorts = [['margin-asc', 'margin, lowest first'], ['margin-desc', 'margin, highest first'], ['len-asc', 'length diff., lowest first'], ['len-desc', 'length diff., highest first'], ['len-abs', '|length diff.|, largest first'], ['id', 'id']]
var sortSel = select('sort', 'sort', sorts)
var reset = el('button', { type: 'button', id: 'f-reset' }, 'reset')
form.appendChild(reset)

// ---- filter and sort ----
var view = new Int32Array(0)
var count = document.getElementById('count')
function num(input) {
  var v = input.value.trim()
  return v === '' ? null : Number(v)
}
function marginCol() {
  if (!mOf || mOf.value === '0') return margin[0]
  if (mOf.value === '1') return margin[1]
  var d = new Float64Array(N)
  for (var i = 0; i < N; i++) d[i] = margin[1][i] - margin[0][i]
  return d
}
function pairOk(mode, i) {
  var a = credit[0][i]
  var b = credit[1][i]
  if (mode === 'all') return true
  if (mode === 'discordant') return a === a && b === b && a !== b
  if (mode === 'a-better') return a === 1 && b === 0
  if (mode === 'b-better') return a === 0 && b === 1
  if (mode === 'both-right') return a === 1 && b === 1
  return a === 0 && b === 0
}
function apply() {
  var t0 = performance.now()
  var text = q.value.trim().toLowerCase()
  var h = text ? haystack() : null
  var gi = gSel.value === '' ? -1 : groupIx.get(gSel.value)
  var sec = sSel && sSel.value !== '' ? sSel.value : null
  var allowed = new Uint8Array(STATUS.length)
  if (boxes.length) boxes.forEach(function (b) { if (b.checked) allowed[Number(b.dataset.status)] = 1 })
  else allowed.fill(1)
  var mode = pairSel ? pairSel.value : 'all'
  var mc = marginCol()
  var m0 = num(mMin), m1 = num(mMax), l0 = num(lMin), l1 = num(lMax)
  var out = new Int32Array(N)
  var n = 0
  for (var i = 0; i < N; i++) {
    if (gi !== -1 && group[i] !== gi) continue
    if (!allowed[status[0][i]]) continue
    if (mode !== 'all' && !pairOk(mode, i)) continue
    var m = mc[i]
    if (m0 !== null && !(m >= m0)) continue
    if (m1 !== null && !(m <= m1)) continue
    var l = lenDiff[i]
    if (l0 !== null && !(l >= l0)) continue
    if (l1 !== null && !(l <= l1)) continue
    if (sec !== null && items[i].sec.indexOf(sec) === -1) continue
    if (h && h[i].indexOf(text) === -1) continue
    out[n++] = i
  }
  view = out.slice(0, n)
  sortView(mc)
  var ms = performance.now() - t0
  showCount(ms)
  list.scrollTop = 0
  draw()
  // The open example stays open while it is still listed; otherwise the first listed one opens.
  if (view.length && view.indexOf(openAt) === -1) open(view[0])
  else if (!view.length) { openAt = -1; detail.hidden = true }
}
function sortView(mc) {
  var key = sortSel.value
  var col = key.indexOf('margin') === 0 ? mc : lenDiff
  var sign = key.slice(-4) === 'desc' ? -1 : 1
  var arr = Array.prototype.slice.call(view)
  if (key === 'id') arr.sort(function (a, b) { return a - b })
  else if (key === 'len-abs') arr.sort(function (a, b) { return byNum(Math.abs(lenDiff[b]), Math.abs(lenDiff[a]), a, b) })
  else arr.sort(function (a, b) { return byNum(sign * col[a], sign * col[b], a, b) })
  view = Int32Array.from(arr)
}
// Numbers ascending, missing ones (NaN) last, then file order: the order is the same on every browser.
function byNum(x, y, a, b) {
  if (x !== x) return y !== y ? a - b : 1
  if (y !== y) return -1
  return x - y || a - b
}
var PAIRS = [['a-better', ' right, ', ' wrong'], ['b-better', ' wrong, ', ' right'], ['both-right', 'both right'], ['both-wrong', 'both wrong']]
function showCount(ms) {
  var parts = []
  count.textContent = ''
  count.appendChild(el('b', { id: 'shown' }, String(view.length)))
  count.appendChild(document.createTextNode(' of ' + N + ' examples'))
  if (R === 2) {
    // A comparison counts the pairs by who got them right (McNemar's discordant cells first).
    PAIRS.forEach(function (p) {
      var n = 0
      for (var i = 0; i < view.length; i++) if (pairOk(p[0], view[i])) n++
      count.dataset[p[0].replace('-', '')] = String(n)
      parts.push((p.length === 3 ? meta.runs[0] + p[1] + meta.runs[1] + p[2] : p[1]) + ' ' + n)
    })
  } else {
    var tally = new Int32Array(STATUS.length)
    for (var i = 0; i < view.length; i++) tally[status[0][view[i]]]++
    STATUS.forEach(function (name, s) {
      count.dataset[name] = String(tally[s])
      if (tally[s]) parts.push(name + ' ' + tally[s])
    })
  }
  if (parts.length) count.appendChild(document.createTextNode(' · ' + parts.join(', ')))
  count.dataset.ms = ms.toFixed(1)
}
