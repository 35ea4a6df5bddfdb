namespace Scrl.Detection.Evaluation;

/// <summary>
/// pycocotools' <c>eval['precision']</c> [T, R, K, A, M] and <c>eval['recall']</c> [T, K, A, M], C order, with -1
/// where a (category, area, maxDets) cell had no counted ground truth.
/// </summary>
internal sealed class CocoPrecisionTable
{
    public CocoPrecisionTable(int t, int r, int k, int a, int m)
    {
        (T, R, K, A, M) = (t, r, k, a, m);
        Precision = new double[t * r * k * a * m];
        Recall = new double[t * k * a * m];
        Array.Fill(Precision, -1.0);
        Array.Fill(Recall, -1.0);
    }

    public int T { get; }
    public int R { get; }
    public int K { get; }
    public int A { get; }
    public int M { get; }

    /// <summary>[T, R, K, A, M] interpolated precision.</summary>
    public double[] Precision { get; }

    /// <summary>[T, K, A, M] final recall.</summary>
    public double[] Recall { get; }

    public int PrecisionIndex(int t, int r, int k, int a, int m) => (((t * R + r) * K + k) * A + a) * M + m;

    public int RecallIndex(int t, int k, int a, int m) => ((t * K + k) * A + a) * M + m;

    /// <summary>
    /// Mean of the entries &gt; -1 of precision[tSel, :, kSel, a, m] taken in C order, as <c>np.mean(s[s &gt; -1])</c>;
    /// -1 when there are none. Null selections mean "all".
    /// </summary>
    public double MeanPrecision(int? t, int? k, int a, int m)
    {
        var values = new List<double>();
        foreach (int ti in Select(t, T))
            for (int r = 0; r < R; r++)
                foreach (int ki in Select(k, K))
                    Keep(values, Precision[PrecisionIndex(ti, r, ki, a, m)]);
        return MeanOrSentinel(values);
    }

    /// <summary>Mean of the entries &gt; -1 of recall[tSel, :, a, m]; -1 when there are none.</summary>
    public double MeanRecall(int? t, int a, int m)
    {
        var values = new List<double>();
        foreach (int ti in Select(t, T))
            for (int k = 0; k < K; k++)
                Keep(values, Recall[RecallIndex(ti, k, a, m)]);
        return MeanOrSentinel(values);
    }

    private static IEnumerable<int> Select(int? one, int count) => one is { } i ? [i] : Enumerable.Range(0, count);

    private static void Keep(List<double> values, double v)
    {
        if (v > -1) values.Add(v);
    }

    private static double MeanOrSentinel(List<double> values) =>
        values.Count == 0 ? -1 : NumpySemantics.Mean(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values));
}
