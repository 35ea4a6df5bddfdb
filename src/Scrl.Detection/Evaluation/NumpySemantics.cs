namespace Scrl.Detection.Evaluation;

/// <summary>
/// The few numpy 1.24 operations whose exact floating-point behaviour pycocotools and detectron2 results depend on.
/// Reproducing them bit for bit is what lets our stats equal the published ones instead of being merely close.
/// </summary>
internal static class NumpySemantics
{
    // numpy's ufunc buffer size: a reduction runs the pairwise kernel on chunks of this many elements.
    private const int ReduceChunk = 8192;
    private const int PairwiseBlock = 128;

    /// <summary><c>np.spacing(1)</c> = <c>np.finfo(np.float64).eps</c>.</summary>
    public const double Eps = 2.220446049250313e-16;

    /// <summary><c>np.linspace(start, stop, num)</c>: <c>i * ((stop - start) / (num - 1)) + start</c>, last = stop.</summary>
    public static double[] Linspace(double start, double stop, int num)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(num, 2);
        double step = (stop - start) / (num - 1);
        var y = new double[num];
        for (int i = 0; i < num; i++) y[i] = i * step + start;
        y[^1] = stop;
        return y;
    }

    /// <summary><c>np.sum</c> of a contiguous float64 array: pairwise sums of 8192-element chunks, added in order.</summary>
    public static double Sum(ReadOnlySpan<double> a)
    {
        double total = 0.0;
        for (int start = 0; start < a.Length; start += ReduceChunk)
            total += PairwiseSum(a.Slice(start, Math.Min(ReduceChunk, a.Length - start)));
        return total;
    }

    /// <summary><c>np.mean</c>: <see cref="Sum"/> divided by the count (NaN when empty, as numpy).</summary>
    public static double Mean(ReadOnlySpan<double> a) => Sum(a) / a.Length;

    // numpy's DOUBLE_pairwise_sum: naive below 8, eight accumulators up to 128, else split at a multiple of 8.
    private static double PairwiseSum(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0.0;
            foreach (double x in a) res += x;
            return res;
        }
        if (n <= PairwiseBlock)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            int i = 8;
            for (; i < n - n % 8; i += 8)
                for (int j = 0; j < 8; j++) r[j] += a[i + j];
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[i];
            return res;
        }
        int half = n / 2;
        half -= half % 8;
        return PairwiseSum(a[..half]) + PairwiseSum(a[half..]);
    }

    /// <summary>
    /// <c>np.argsort(-keys, kind='mergesort')</c>: indices by descending key, ties kept in input order.
    /// Keys must not be NaN (callers validate scores).
    /// </summary>
    public static int[] StableArgsortDescending(ReadOnlySpan<double> keys)
    {
        var order = new int[keys.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (order.Length > 1) MergeSort(keys, order, new int[order.Length], 0, order.Length);
        return order;
    }

    // Top-down merge sort of order[lo, hi) by descending key; taking from the left run on ties keeps it stable.
    private static void MergeSort(ReadOnlySpan<double> keys, int[] order, int[] buffer, int lo, int hi)
    {
        if (hi - lo < 2) return;
        int mid = (lo + hi) >>> 1;
        MergeSort(keys, order, buffer, lo, mid);
        MergeSort(keys, order, buffer, mid, hi);
        if (keys[order[mid - 1]] >= keys[order[mid]]) return;          // already in order
        Array.Copy(order, lo, buffer, lo, hi - lo);
        int left = lo, right = mid, outIndex = lo;
        while (left < mid && right < hi)
            order[outIndex++] = keys[buffer[right]] > keys[buffer[left]] ? buffer[right++] : buffer[left++];
        while (left < mid) order[outIndex++] = buffer[left++];
        while (right < hi) order[outIndex++] = buffer[right++];
    }

    /// <summary><c>np.searchsorted(sorted, value, side='left')</c>: the first index whose element is &gt;= value.</summary>
    public static int SearchSortedLeft(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
