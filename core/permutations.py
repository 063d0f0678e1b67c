"""The permutation engines of the spatial statistics (methods.md 10): the
conditional permutations of local statistics (per unit, Floyd draws) and the
full permutations of global Moran (Fisher-Yates), both seeded by counter-based
SplitMix64 streams so that the numba and the numpy paths give the same numbers
for any number of threads. Used by core/spatial.py, core/spatial_raster.py
and core/spatial_dask.py."""
import functools

import numpy as np

from ._numba import mulhi, mulhi_halves, njit, njit_parallel, prange, threads, use_numba
from .errors import N_, InputError

# ------------------------------------------- conditional permutation engine
#
# SplitMix64 (Steele, Lea & Flood 2014): state += golden gamma, output =
# mix(state). Unit u starts at mix(base + key_u * gamma), base = mix(seed).
# A draw in [0, m) is floor(u53 * 2^-53 * m) from the top 53 bits: the same
# float64 operations in the numba and the numpy path, hence the same draws.

_MASK = (1 << 64) - 1
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0
_CHUNK_UNITS = 256          # units per numba task
_BATCH = 32                 # permutations drawn before their values are gathered
_NUMPY_BLOCK = 1 << 20      # draws (units x permutations x k) per numpy block


def _mix_int(z):
    z &= _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def _seed_base(seed):
    return np.uint64(_mix_int(int(seed) & _MASK))


def _mix_py(z):
    """SplitMix64 finaliser on uint64 (scalar in numba, arrays in numpy)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


_mix = njit(_mix_py)


@njit_parallel
def _crand_numba(pool, self_idx, zs, k, rstd, obs, keys, base, r,
                 larger, s1, s2):  # pragma: no cover - compiled
    nu = zs.shape[0]
    npool = pool.shape[0]
    kmax = 1
    for u in range(nu):
        kmax = max(kmax, k[u])
    nchunks = (nu + _CHUNK_UNITS - 1) // _CHUNK_UNITS
    for c in prange(nchunks):
        idx = np.empty(_BATCH * kmax, dtype=np.int64)
        for u in range(c * _CHUNK_UNITS, min(nu, (c + 1) * _CHUNK_UNITS)):
            ku = k[u]
            si = self_idx[u]
            nother = npool - 1 if si >= 0 else npool
            state = _mix(base + np.uint64(keys[u]) * _GOLDEN)
            zu = zs[u]
            ob = obs[u]
            cnt = 0
            a1 = 0.0
            a2 = 0.0
            done = 0
            while done < r:
                nb = min(_BATCH, r - done)
                # draw the indices of nb permutations (Floyd's algorithm) ...
                # (unsigned indices: no wrap-around check at each access)
                for b in range(nb):
                    first = np.uint64(b * ku)
                    for j in range(ku):
                        m = nother - ku + j + 1          # t uniform in [0, m)
                        state = state + _GOLDEN
                        t = int(float(np.int64(_mix(state) >> _S11)) * _INV53 * m)
                        if t >= m:
                            t = m - 1
                        for q in range(j):
                            if idx[first + np.uint64(q)] == t:
                                t = m - 1
                                break
                        idx[first + np.uint64(j)] = t
                if si >= 0:
                    for q in range(nb * ku):
                        uq = np.uint64(q)
                        if idx[uq] >= si:
                            idx[uq] += 1
                # ... then gather them: independent loads, many in flight
                for b in range(nb):
                    acc = 0.0
                    first = np.uint64(b * ku)
                    for q in range(ku):
                        acc += pool[np.uint64(idx[first + np.uint64(q)])]
                    if rstd:
                        val = zu * (acc / ku)
                    else:
                        val = zu * acc
                    if val >= ob:
                        cnt += 1
                    a1 += val
                    a2 += val * val
                done += nb
            larger[u] = cnt
            s1[u] = a1
            s2[u] = a2


def _mix_inplace(z):
    """:func:`_mix_py` overwriting the uint64 array ``z``."""
    z ^= z >> _S30
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return z


def _crand_numpy(pool, self_idx, zs, k, rstd, obs, keys, base, r, larger, s1, s2):
    """The same draws and sums as :func:`_crand_numba`, vectorised over
    blocks of (units x permutations): SplitMix64 is counter based, so the
    state of draw j of permutation p of unit u is s0_u + (p k_u + j + 1) G.
    Units go in chunks of equal k (no masked draws) and the arithmetic is
    in place where it can be (2.8x faster than masked whole-array temporaries)."""
    npool = pool.shape[0]
    nu = zs.shape[0]
    kall = max(int(k.max()), 1)
    cu = max(1, min(nu, 4096, _NUMPY_BLOCK // kall))
    nb = max(1, min(r, _NUMPY_BLOCK // (cu * kall)))
    order = np.argsort(k, kind="stable")     # chunks of equal k: no masked draws
    ks = k[order]
    cuts = np.flatnonzero(np.diff(ks)) + 1
    chunks = [(a, min(a + cu, g1)) for g0, g1 in zip(np.r_[0, cuts], np.r_[cuts, nu])
              for a in range(int(g0), int(g1), cu)]
    sel = np.empty(kall * cu * nb, dtype=np.int64)
    for a, e in chunks:
        sl = order[a:e]
        kc, si, zc, oc = k[sl][:, None], self_idx[sl][:, None], zs[sl][:, None], obs[sl][:, None]
        nother = np.where(si >= 0, npool - 1, npool)
        s0 = _mix_py(base + keys[sl].astype(np.uint64) * _GOLDEN)[:, None]
        kmax = int(ks[a])
        ku = kc.astype(np.uint64)
        shift = si >= 0
        cnt = np.zeros(kc.shape[0], dtype=np.int64)
        a1 = np.zeros(kc.shape[0])
        a2 = np.zeros(kc.shape[0])
        for p0 in range(0, r, nb):
            perm = np.arange(p0, min(r, p0 + nb), dtype=np.uint64)[None, :]
            base_state = s0 + perm * ku * _GOLDEN         # the state before draw 1
            shape = (kc.shape[0], perm.shape[1])
            size = shape[0] * shape[1]
            sj = sel[:kmax * size].reshape((kmax,) + shape)
            acc = np.zeros(shape)
            for j in range(kmax):
                m = nother - kc + j + 1
                u = _mix_inplace(base_state + np.uint64(((j + 1) * 0x9E3779B97F4A7C15) & _MASK))
                u >>= _S11
                t = u.astype(np.float64)
                t *= _INV53
                t *= m
                t = t.astype(np.int64)
                over = t >= m
                for q in range(j):
                    over |= sj[q] == t
                np.copyto(t, np.broadcast_to(m - 1, shape), where=over)
                sj[j] = t
                t += shift & (t >= si)
                acc += pool[t]
            val = zc * (acc / kc) if rstd else zc * acc
            cnt += (val >= oc).sum(axis=1)
            # strictly sequential sums, as the numba loop
            a1 = np.cumsum(np.concatenate([a1[:, None], val], axis=1), axis=1)[:, -1]
            a2 = np.cumsum(np.concatenate([a2[:, None], val * val], axis=1), axis=1)[:, -1]
        larger[sl], s1[sl], s2[sl] = cnt, a1, a2


def conditional_permutations(pool, self_idx, zs, k, rstd, obs, keys, seed, permutations):
    """Conditional randomisation of local Moran for a batch of units.

    Unit u: ``k[u]`` values are drawn without replacement from ``pool``
    (leaving out position ``self_idx[u]``, -1 for none) and
    I_perm = zs[u] * sum(draws) / k[u] (``rstd``) or zs[u] * sum(draws),
    the sum taken in float64 over the pool values stored as float32 (half
    the memory traffic of the random reads, about 1.5x faster on a 10^6 unit
    pool; the rounding, <= 6e-8 relative, is far below Monte-Carlo error),
    ``permutations`` times with the random stream keyed by (seed, keys[u]).
    Returns (larger, sum, sum of squares) of I_perm per unit: int64,
    float64, float64. Numba (parallel over units) or numpy, same numbers.
    """
    nu = len(zs)
    larger = np.zeros(nu, dtype=np.int64)
    s1 = np.zeros(nu)
    s2 = np.zeros(nu)
    if nu == 0 or permutations == 0:
        return larger, s1, s2
    args = (np.ascontiguousarray(pool, dtype=np.float32),
            np.ascontiguousarray(self_idx, dtype=np.int64),
            np.ascontiguousarray(zs, dtype=np.float64),
            np.ascontiguousarray(k, dtype=np.int64), bool(rstd),
            np.ascontiguousarray(obs, dtype=np.float64),
            np.ascontiguousarray(keys, dtype=np.int64), _seed_base(seed), int(permutations),
            larger, s1, s2)
    if use_numba():
        _crand_numba(*args)
    else:
        _crand_numpy(*args)
    return larger, s1, s2


def _permute_chunked(pool, self_idx, zs, k, rstd, obs, keys, seed, r, progress=None,
                     done=0, total=None):
    """:func:`conditional_permutations` in chunks of about 4 million
    (unit, permutation) pairs, checking for cancellation and reporting
    ``(done + units finished) / total`` between chunks. Same numbers."""
    nu = len(zs)
    step = max(1, int(4e6 // max(r, 1)))     # ~4e6 pairs: well under a second a chunk
    if progress is not None:
        progress.check()
    if progress is None or nu <= step:
        out = conditional_permutations(pool, self_idx, zs, k, rstd, obs, keys, seed, r)
        if progress is not None and total:
            progress.set(100.0 * (done + nu) / total)
        return out
    larger = np.empty(nu, dtype=np.int64)
    s1 = np.empty(nu)
    s2 = np.empty(nu)
    for a in range(0, nu, step):
        progress.check()
        sl = slice(a, a + step)
        larger[sl], s1[sl], s2[sl] = conditional_permutations(
            pool, self_idx[sl], zs[sl], k[sl], rstd, obs[sl], keys[sl], seed, r)
        progress.set(100.0 * (done + min(nu, a + step)) / (total or nu))
    return larger, s1, s2


# ------------------------------------------- global Moran permutation engine
#
# Each permutation p is a Fisher-Yates shuffle of z driven by its own
# counter-based SplitMix64 stream, s_p = mix(base + (p + 1) G): the swap at
# position i (i = n - 1 down to 1, step k = n - i) takes
# j = floor(u (i + 1) / 2^64), u = mix(s_p + k G) (the compiled kernel takes
# the high word of one 128-bit product, the numpy path the same integer from
# 32-bit halves: _numba.mulhi).
# The cross product z_p' W z_p is then summed over the links of
# ``_moran_links`` in a fixed order, so the numba path (4 permutations per
# pass over the links, parallel over groups of 4) and the numpy path (a
# batch of permutations, one vectorised swap per step) give identical I_perm
# for any number of threads. Measured on 250 000 units (2 cores): the
# shuffle takes 3.5-4.9 ns a step (2.6 when the buffer fits in L1), the link
# pass about as long; no faster were a bucketed Rao-Sandelius shuffle (7.7-8.8
# ns a step), the links stored as diagonals for lattices (same time), the four
# permutations interleaved in one (n, 4) buffer, or eight per group (16 MiB of
# buffers a thread: 20 % slower), nor a shuffle fused with the link pass
# (descending rows, the links to final positions: 1.07-1.64 against 0.67-1.08
# ms a permutation) or software prefetches of the swap targets 16 steps ahead
# (LLVM's prefetch intrinsic: 0.72-1.10 against 0.78-0.98 ms a shuffle),
# nor two or four shuffles interleaved in one loop (0.51-0.56 against
# 0.45-0.48 ms a shuffle) or float32 buffers (0.80 against 0.815 ms a
# permutation). The 128-bit multiply for j took the shuffle from 0.615 to
# 0.368 ms (1 thread, 250 000 units), the same swaps.
# S0, S1, S2 and z' W z from the link arrays instead of the transformed
# matrix did not pay: 124 against 104 ms without permutations, 0.77 against
# 0.80 s with 999 (the symmetry test then runs for every call). Nor did the
# four shuffled buffers copied into one (n, 4) buffer for the link pass (one
# row of four values a link): 0.82-0.88 against 0.67-0.68 ms a permutation;
# nor the link weights made in the loop from the row weights (rw_i + rw_j,
# the same sums; 8 bytes a link less to stream): 0.81-0.89 against 0.83.
# The numpy path shuffles int32 positions
# (batches of up to 128 permutations in 128 MiB: the per-step overhead is
# what counts), the draws of 512 steps made in place (in L2), then gathers the
# values of 4 permutations at a time for scipy's sparse product (the link
# pass in ufuncs where scipy fuses multiply-adds: 32 permutations in chunks
# that fit in L2). At 250 000 units: 8.7-10.0 ms a permutation for the
# shuffle (12.0 with the draws of 4096 steps in temporaries) and 2.7-3.5 for
# the links (3.5-6.0 in ufuncs); whole call 9.9-11.9 against 13.2-13.7 s
# with 999 (batches of 200 instead of 128: 11.2-11.6 against 11.1-11.7 s,
# not kept). Applying blocks of steps at once (swaps on disjoint
# positions together, the others in rounds of their order of dependence;
# bit-identical) took 25-63 ms a permutation against 30 step by step.
# numpy's own C shuffle (Generator(SFC64).shuffle: 2.6 ms a permutation)
# reproduced bit for bit in the compiled kernel (SFC64's 32-bit halves and
# numpy's masked rejection) would give both paths the same swaps, but takes
# 0.91-1.06 ms a shuffle there against 0.34: not kept.

_GM_GROUP = 4               # permutations per numba task (one pass over the links;
                            # _gm_perm_numba's registers hold four)
_GM_CALL = 128              # permutations per kernel call (progress and cancel between)
_GM_NUMPY_BYTES = 256 << 20  # the numpy path's batch of permutations
_GM_NUMPY_GROUP = 32        # permutations whose values the numpy link pass holds
_GM_NUMPY_CHUNK = 1 << 15   # values a chunk of the numpy link pass works on
_GM_SPARSE_GROUP = 4       # permutations a sparse product of the numpy link pass takes
_GM_NUMPY_STEPS = 512       # shuffle steps whose draws the numpy path makes at once (in L2)


def _moran_links(b, t):
    """(indptr, indices, coef) with z' W z = sum_i z_i sum_q coef_q z_{indices_q}.
    Symmetric links: the upper triangle with coef = w_ij + w_ji (half the
    links); otherwise every link with coef = w_ij."""
    from scipy import sparse
    b = sparse.csr_matrix(b)
    b.sort_indices()
    n = b.shape[0]
    deg = np.diff(b.indptr)
    rw = 1.0 / np.maximum(deg, 1) if t == "r" else np.ones(n)
    rows = np.repeat(np.arange(n, dtype=np.int64), deg)
    bt = b.T.tocsr()
    bt.sort_indices()
    if np.array_equal(bt.indptr, b.indptr) and np.array_equal(bt.indices, b.indices):
        up = b.indices > rows
        cols = b.indices[up]
        coef = rw[rows[up]] + rw[cols]
        ptr = np.concatenate([[0], np.cumsum(np.bincount(rows[up], minlength=n))])
    else:
        cols = b.indices
        coef = rw[rows]
        ptr = b.indptr
    return (np.ascontiguousarray(ptr, dtype=np.int64),
            np.ascontiguousarray(cols, dtype=np.int32),
            np.ascontiguousarray(coef, dtype=np.float64))


@njit
def _fisher_yates(buf, state):  # pragma: no cover - compiled
    # unsigned indices: numba checks signed ones for wrap-around at every access
    n = buf.shape[0]
    for i in range(n - 1, 0, -1):
        state = state + _GOLDEN
        u = _mix(state)
        ui = np.uint64(i)
        j = mulhi(u, ui + np.uint64(1))
        a = buf[ui]
        buf[ui] = buf[j]
        buf[j] = a


@njit_parallel
def _gm_perm_numba(z, ptr, idx, coef, base, p0, r, out, work):  # pragma: no cover - compiled
    ngroups = (r + _GM_GROUP - 1) // _GM_GROUP
    nwork = work.shape[0]
    for t in prange(nwork):
        # the groups t, t + nwork, ... in the buffers of task t (allocated once
        # per run: fresh pages would cost a page fault every 4 KiB)
        _gm_groups(z, ptr, idx, coef, base, p0, r, out, work[t], t, ngroups, nwork)


@njit
def _gm_groups(z, ptr, idx, coef, base, p0, r, out, bufs, t, ngroups,
               step):  # pragma: no cover - compiled
    n = z.shape[0]
    for g in range(t, ngroups, step):
        # one contiguous buffer per permutation (each shuffled in place, in
        # cache), then one pass over the links for the group of four, the
        # sums in registers (the same additions in the same order)
        for b in range(_GM_GROUP):
            bufs[b, :] = z
            p = g * _GM_GROUP + b
            if p < r:
                _fisher_yates(bufs[b], _mix(base + np.uint64(p0 + p + 1) * _GOLDEN))
        b0, b1, b2, b3 = bufs[0], bufs[1], bufs[2], bufs[3]
        a0 = a1 = a2 = a3 = 0.0
        for i in range(n):
            ui = np.uint64(i)
            s0 = s1 = s2 = s3 = 0.0
            for q in range(ptr[ui], ptr[ui + np.uint64(1)]):
                uq = np.uint64(q)
                j = np.uint64(idx[uq])
                c = coef[uq]
                s0 += c * b0[j]
                s1 += c * b1[j]
                s2 += c * b2[j]
                s3 += c * b3[j]
            a0 += b0[ui] * s0
            a1 += b1[ui] * s1
            a2 += b2[ui] * s2
            a3 += b3[ui] * s3
        acc = (a0, a1, a2, a3)
        for b in range(_GM_GROUP):
            if g * _GM_GROUP + b < r:
                out[g * _GM_GROUP + b] = acc[b]


def _gm_shuffle_numpy(n, states):
    """:func:`_fisher_yates` of the positions 0..n-1 for a batch of streams:
    (n, batch) int32, one vectorised swap per step (the same swaps as on the
    values: the values are gathered afterwards)."""
    m = states.shape[0]
    perm = np.repeat(np.arange(n, dtype=np.int32)[:, None], m, axis=1)
    flat = perm.reshape(-1)
    rows = list(perm)                            # the row views, made once
    cols = np.arange(m, dtype=np.uint64)
    chunk = max(1, min(n, _GM_NUMPY_STEPS))
    u = np.empty((chunk, m), np.uint64)
    lo = np.empty_like(u)
    for k0 in range(1, n, chunk):
        c = min(chunk, n - k0)
        uk, lk = u[:c], lo[:c]
        steps = np.arange(k0, k0 + c, dtype=np.uint64)[:, None]
        np.add(states[None, :], steps * _GOLDEN, out=uk)
        _mix_inplace(uk)
        mulhi_halves(uk, np.uint64(n + 1) - steps, lk)   # j in [0, i], i = n - k, in place
        uk *= np.uint64(m)                       # the flat index j m + column
        uk += cols
        for i, fk in zip(range(n - k0, n - k0 - c, -1), uk.view(np.int64)):
            row = rows[i]
            a = flat[fk]
            flat[fk] = row
            row[...] = a
    return perm


@functools.lru_cache(maxsize=None)
def _sparse_products_unfused():
    """True when scipy's sparse matrix products round each product before
    adding it (as numba's loops and numpy's ufuncs do), False when they fuse
    them (a multiply-add, as compilers may do on arm64): 1 c + a a with
    a = 1 + 2^-30 and c = -(1 + 2^-29) is 0 unfused and 2^-60 fused."""
    from scipy import sparse
    a = 1.0 + 2.0 ** -30
    mat = sparse.csr_matrix((np.array([-(1.0 + 2.0 ** -29), a]), np.array([0, 1]),
                             np.array([0, 2])), shape=(1, 2))
    x = np.array([[1.0] * _GM_SPARSE_GROUP, [a] * _GM_SPARSE_GROUP])
    return bool(np.all(mat @ x == 0.0) and (mat @ x[:, 0])[0] == 0.0)


def _gm_links_numpy(z, ptr, idx, coef, perm):
    """z_p' W z_p for the columns of ``perm`` (positions, (n, m)): the sums
    of :func:`_gm_groups` in the same order, by scipy's sparse product (its
    row sums run over the links in order from 0.0, as numba's) where it
    rounds as numba does, otherwise by :func:`_gm_links_ufuncs`."""
    if not _sparse_products_unfused():
        return _gm_links_ufuncs(z, ptr, idx, coef, perm)
    from scipy import sparse
    n, m = perm.shape
    mat = sparse.csr_matrix((coef, idx, ptr), shape=(n, n))
    out = np.empty(m)
    for c0 in range(0, m, _GM_SPARSE_GROUP):
        zz = np.take(z, perm[:, c0:c0 + _GM_SPARSE_GROUP])
        s = mat @ zz
        s *= zz
        np.add.accumulate(s, axis=0, out=s)      # the sum over units, in order
        out[c0:c0 + _GM_SPARSE_GROUP] = s[-1]
    return out


def _gm_links_ufuncs(z, ptr, idx, coef, perm):
    """:func:`_gm_links_numpy` in numpy ufuncs. Rows of fewer links than the
    chunk's most linked one add (-0.0) * 0.0 = -0.0, which leaves any sum as
    it is (also -0.0): the numbers are those of numba's loop."""
    n, m = perm.shape
    deg = np.diff(ptr)
    pad = len(idx)                               # a link to a zero value
    idx_e = np.append(idx.astype(np.int64), n)
    coef_e = np.append(coef, -0.0)
    out = np.empty(m)
    for c0 in range(0, m, _GM_NUMPY_GROUP):
        c1 = min(m, c0 + _GM_NUMPY_GROUP)
        zz = np.empty((n + 1, c1 - c0))          # the group's permuted values
        np.take(z, perm[:, c0:c1], out=zz[:n], mode="clip")   # unbuffered
        zz[n] = 0.0
        rows = max(1, _GM_NUMPY_CHUNK // (c1 - c0))   # a chunk fits in L2
        acc = np.zeros(c1 - c0)
        for r0 in range(0, n, rows):
            r1 = min(n, r0 + rows)
            start, d = ptr[r0:r1], deg[r0:r1]
            srow = np.zeros((r1 - r0, c1 - c0))
            for k in range(int(d.max())):
                q = np.where(k < d, start + k, pad)
                vals = zz[idx_e[q]]
                vals *= coef_e[q][:, None]
                srow += vals
            srow *= zz[r0:r1]
            srow[0] += acc                       # the running sum over units, in order
            np.add.accumulate(srow, axis=0, out=srow)
            acc = srow[-1].copy()
        out[c0:c1] = acc
    return out


def _gm_perm_numpy(z, ptr, idx, coef, base, p0, r, out):
    """:func:`_gm_perm_numba` vectorised over a batch of permutations: the
    same swaps and the same sums in the same order."""
    n = z.shape[0]
    if n == 0:
        out[:r] = 0.0
        return
    # a batch of int32 positions (4 bytes a unit and permutation) and the
    # float64 values of one group of it (8) within the budget; batches of
    # equal size (each step costs about as much for 40 as for 128)
    nb = _GM_NUMPY_BYTES // (12 * n)
    if nb >= _GM_NUMPY_GROUP:
        nb = (_GM_NUMPY_BYTES - 8 * _GM_NUMPY_GROUP * n) // (4 * n)
    nb = max(1, min(r, _GM_CALL, nb))
    nb = -(-r // -(-r // nb))
    for a in range(0, r, nb):
        m = min(nb, r - a)
        states = _mix_py(base + (np.arange(p0 + a, p0 + a + m, dtype=np.uint64)
                                 + np.uint64(1)) * _GOLDEN)
        out[a:a + m] = _gm_links_numpy(z, ptr, idx, coef, _gm_shuffle_numpy(n, states))


def moran_permutations(z, b, transform, r, seed, progress=None):
    """I_perm / scale (z_p' W z_p) of ``r`` random permutations of ``z``
    (float64, centred) under the binary links ``b`` among them, with the
    stream keyed by ``seed``: the same numbers from numba and numpy, for any
    number of threads. Cancels and reports between calls of 128
    permutations."""
    z = np.ascontiguousarray(z, dtype=np.float64)
    if z.size >= 2**31:
        raise InputError(N_("{} units: permutations handle fewer than 2^31"), z.size)
    ptr, idx, coef = _moran_links(b, transform)
    base = _seed_base(seed)
    out = np.empty(r)
    numba_path = use_numba()
    if numba_path:
        groups = (min(r, _GM_CALL) + _GM_GROUP - 1) // _GM_GROUP
        work = np.empty((max(1, min(groups, threads())), _GM_GROUP, z.size))
    for p0 in range(0, r, _GM_CALL):
        if progress is not None:
            progress.check()
            progress.set(100.0 * p0 / r)
        m = min(_GM_CALL, r - p0)
        part = np.empty(m)
        if numba_path:
            _gm_perm_numba(z, ptr, idx, coef, base, p0, m, part, work)
        else:
            _gm_perm_numpy(z, ptr, idx, coef, base, p0, m, part)
        out[p0:p0 + m] = part
    return out
