// The explorer's word diff (the first part of explorer.html's one script, joined with explorer-filters.js and
// explorer-view.js inside one function by explorer-page.ts): pure functions, no DOM, so they are tested in Node
// as well as in the page.

/** Words, single punctuation marks and the whitespace between them, in order: joined, they give the text back. */
function tokens(s) {
  return s.match(/\s+|[\p{L}\p{M}\p{N}_]+|[^\s\p{L}\p{M}\p{N}_]/gu) || []
}

/**
 * Marks the tokens of a and b outside their longest common subsequence, when the two differ in a few words (at
 * most a third of the longer one's words); null when they are simply different texts, or when the part between
 * their common start and end is too long to compare word by word in the page (over 4 million cells).
 */
function diffMarks(a, b) {
  var A = tokens(a), B = tokens(b)
  if (!A.length && !B.length) return null
  var p = 0
  while (p < A.length && p < B.length && A[p] === B[p]) p++
  var s = 0
  while (s < A.length - p && s < B.length - p && A[A.length - 1 - s] === B[B.length - 1 - s]) s++
  var am = A.length - p - s, bm = B.length - p - s
  if (am * bm > 4e6) return null
  var ma = new Uint8Array(A.length), mb = new Uint8Array(B.length)
  var w = bm + 1
  var L = new Uint32Array((am + 1) * w)
  for (var u = am - 1; u >= 0; u--)
    for (var v = bm - 1; v >= 0; v--)
      L[u * w + v] = A[p + u] === B[p + v] ? L[(u + 1) * w + v + 1] + 1 : Math.max(L[(u + 1) * w + v], L[u * w + v + 1])
  u = 0
  v = 0
  while (u < am || v < bm) {
    if (u < am && v < bm && A[p + u] === B[p + v]) { u++; v++ }
    else if (v >= bm || (u < am && L[(u + 1) * w + v] >= L[u * w + v + 1])) ma[p + u++] = 1
    else mb[p + v++] = 1
  }
  var words = function (t, m) {
    var all = 0, changed = 0
    for (var k = 0; k < t.length; k++) if (/\S/.test(t[k])) { all++; if (m[k]) changed++ }
    return [all, changed]
  }
  var wa = words(A, ma), wb = words(B, mb)
  if (Math.max(wa[1], wb[1]) > Math.max(wa[0], wb[0]) / 3) return null
  return [{ t: A, m: ma }, { t: B, m: mb }]
}
