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

// ---- the list: only the rows in view are in the DOM ----
var list = document.getElementById('list')
var spacer = document.getElementById('spacer')
var openAt = -1
function fmt(x) {
  if (x === null || x !== x) return '—'
  var a = Math.abs(x)
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : x.toFixed(a < 10 ? 3 : 2)
}
function signed(x) {
  return x !== x ? '—' : (x > 0 ? '+' : '') + Math.round(x)
}
function preview(it) {
  var user = ''
  for (var k = it.p.length - 1; k >= 0; k--) if (it.p[k][0] === 'user') { user = it.p[k][1]; break }
  if (!user && it.p.length) user = it.p[it.p.length - 1][1]
  return user.slice(0, 300).replace(/\s+/g, ' ')
}
function badge(s, prefix) {
  return el('span', { class: 'badge ' + STATUS[s] }, (prefix || '') + STATUS[s])
}
function draw() {
  spacer.style.height = view.length * ROW + 'px'
  var first = Math.max(0, Math.floor(list.scrollTop / ROW) - 4)
  var last = Math.min(view.length, first + Math.ceil(list.clientHeight / ROW) + 8)
  while (list.lastChild !== spacer) list.removeChild(list.lastChild)
  for (var v = first; v < last; v++) {
    var i = view[v]
    var it = items[i]
    var row = el('div', { class: 'row' + (i === openAt ? ' open' : ''), role: 'listitem', 'data-i': String(i) })
    row.style.top = v * ROW + 'px'
    var what = el('div', { class: 'what' })
    var head = el('div', { class: 'line', 'data-preview': '' })
    for (var r = 0; r < R; r++) head.appendChild(badge(status[r][i], R === 2 ? meta.runs[r] + ' ' : ''))
    head.appendChild(document.createTextNode(it.id + ' · ' + it.g))
    what.appendChild(head)
    what.appendChild(el('div', { class: 'line muted', 'data-preview': '' }, preview(it)))
    row.appendChild(what)
    var nums = el('div', { class: 'nums' })
    nums.appendChild(el('div', {}, 'margin ' + (R === 2 ? fmt(margin[0][i]) + ' → ' + fmt(margin[1][i]) : fmt(margin[0][i]))))
    nums.appendChild(el('div', { class: 'muted' }, 'Δlen ' + signed(lenDiff[i])))
    row.appendChild(nums)
    list.appendChild(row)
  }
}
var pending = false
list.addEventListener('scroll', function () {
  if (pending) return
  pending = true
  requestAnimationFrame(function () { pending = false; draw() })
})
window.addEventListener('resize', draw)
list.addEventListener('click', function (e) {
  var row = e.target.closest('.row')
  if (row) open(Number(row.getAttribute('data-i')))
})
list.addEventListener('keydown', function (e) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
  e.preventDefault()
  var at = view.indexOf(openAt)
  var next = Math.max(0, Math.min(view.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))
  if (view.length) {
    open(view[next])
    if (next * ROW < list.scrollTop || (next + 1) * ROW > list.scrollTop + list.clientHeight) list.scrollTop = next * ROW - list.clientHeight / 2
  }
})

// ---- one example, side by side ----
var detail = document.getElementById('detail')
function marked(pre, d) {
  // Runs of marked tokens become one <mark>; whitespace is marked only between marked words.
  var t = d.t, m = d.m
  var buf = ''
  var inMark = false
  function flush() {
    if (!buf) return
    pre.appendChild(inMark ? el('mark', {}, buf) : document.createTextNode(buf))
    buf = ''
  }
  for (var k = 0; k < t.length; k++) {
    var on = m[k] === 1 && !(/^\s+$/.test(t[k]) && !(m[k - 1] && m[k + 1]))
    if (on !== inMark) { flush(); inMark = on }
    buf += t[k]
  }
  flush()
}
function kv(box, k, v) {
  box.appendChild(el('span', {}, k + ': ' + (v === null || v === undefined ? '—' : typeof v === 'number' ? fmt(v) : String(v))))
}
function open(i) {
  openAt = i
  var it = items[i]
  detail.hidden = false
  detail.textContent = ''
  detail.appendChild(el('h2', {}, it.id))
  var info = el('div', { class: 'kv' })
  kv(info, 'subset', it.g)
  if (it.sec.length) kv(info, 'sections', it.sec.join(', '))
  for (var r = 0; r < R; r++) {
    var pre = R === 2 ? meta.runs[r] + ' ' : ''
    var x = it.x[r]
    kv(info, pre + 'outcome', STATUS[status[r][i]])
    if (!x) {
      if (it.e && it.e[r]) kv(info, pre + 'error', it.e[r])
      continue
    }
    kv(info, pre + 'credit', x.c)
    kv(info, pre + 'margin', x.m)
    for (var j in x.j || {}) kv(info, pre + j, x.j[j])
  }
  kv(info, 'length diff. (chars)', lenDiff[i] === lenDiff[i] ? signed(lenDiff[i]) : null)
  detail.appendChild(info)
  detail.appendChild(el('p', { class: 'muted note' }, 'margin = ' + meta.marginLabel + '; length diff. = characters of the chosen response − the rejected (their mean when several)'))
  var prompt = el('div', { class: 'prompt' })
  it.p.forEach(function (msg) {
    var m = el('pre', {})
    if (it.p.length > 1 || msg[0] !== 'user') m.appendChild(el('span', { class: 'role' }, msg[0] + ': '))
    m.appendChild(document.createTextNode(msg[1]))
    prompt.appendChild(m)
  })
  detail.appendChild(prompt)
  var marks = new Array(it.r.length)
  for (var k = it.nc; k < it.r.length; k++) {
    var partner = k - it.nc < it.nc ? k - it.nc : 0
    if (partner >= it.nc) continue
    var d = diffMarks(it.r[partner][1], it.r[k][1])
    if (!d) continue
    marks[k] = d[1]
    if (!marks[partner]) marks[partner] = d[0]
  }
  var grid = el('div', { class: 'resps' })
  it.r.forEach(function (resp, k) {
    var box = el('div', { class: 'resp ' + (k < it.nc ? 'chosen' : 'rejected') })
    var scores = []
    for (var r = 0; r < R; r++) if (it.x[r]) scores.push((R === 2 ? meta.runs[r] + ' ' : '') + fmt(it.x[r].s[k] === undefined ? null : it.x[r].s[k]))
    box.appendChild(el('h3', {}, resp[0] + (scores.length ? ' · score ' + scores.join(', ') : '') + ' · ' + Array.from(resp[1]).length + ' chars'))
    var text = el('pre', {})
    if (marks[k]) marked(text, marks[k])
    else text.textContent = resp[1]
    box.appendChild(text)
    grid.appendChild(box)
  })
  detail.appendChild(grid)
  var rows = list.querySelectorAll('.row')
  for (var n = 0; n < rows.length; n++) rows[n].classList.toggle('open', Number(rows[n].getAttribute('data-i')) === i)
}

// 'input' fires for every field, selects and boxes included. Not 'change' too: a text field's change on blur
// would redraw the list under the click that caused the blur.
form.addEventListener('input', apply)
reset.addEventListener('click', function () {
  form.reset()
  if (pairSel) pairSel.value = meta.opensOn === 'discordant' ? 'discordant' : 'all'
  boxes.forEach(function (b) { b.checked = true })
  apply()
})
apply()
