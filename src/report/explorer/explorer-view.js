// The example explorer's list and example view (explorer.html's one script, after explorer-diff.js and
// explorer-filters.js in one function scope, see explorer-page.ts). Only the rows in view are in the DOM, so
// 100,000 examples scroll like ten.

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
