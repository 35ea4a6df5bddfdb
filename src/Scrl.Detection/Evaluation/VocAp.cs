namespace Scrl.Detection.Evaluation;

/// <summary>detectron2's <c>voc_ap</c>: area under a precision/recall curve, VOC2007 11-point or VOC2010+ exact.</summary>
internal static class VocAp
{
    /// <param name="recall">Cumulative recall per detection in score order, [N].</param>
    /// <param name="precision">Cumulative precision per detection, [N].</param>
    /// <param name="use07Metric">Mean of the best precision at recall &gt;= 0, 0.1, ..., 1 (np.arange: t = i * 0.1).</param>
    public static double Compute(double[] recall, double[] precision, bool use07Metric) =>
        use07Metric ? ElevenPoint(recall, precision) : AreaUnderEnvelope(recall, precision);

    private static double ElevenPoint(double[] recall, double[] precision)
    {
        double ap = 0.0;
        for (int i = 0; i < 11; i++)
        {
            double t = i * 0.1;
            double p = 0;
            bool any = false;
            for (int j = 0; j < recall.Length; j++)
                if (recall[j] >= t)
                {
                    p = any ? Math.Max(p, precision[j]) : precision[j];
                    any = true;
                }
            ap += p / 11.0;
        }
        return ap;
    }

    private static double AreaUnderEnvelope(double[] recall, double[] precision)
    {
        int n = recall.Length;
        var mrec = new double[n + 2];
        var mpre = new double[n + 2];
        recall.CopyTo(mrec, 1);
        precision.CopyTo(mpre, 1);
        mrec[n + 1] = 1.0;
        for (int i = mpre.Length - 1; i > 0; i--) mpre[i - 1] = Math.Max(mpre[i - 1], mpre[i]);
        var terms = new List<double>();
        for (int i = 0; i < n + 1; i++)
            if (mrec[i + 1] != mrec[i]) terms.Add((mrec[i + 1] - mrec[i]) * mpre[i + 1]);
        return NumpySemantics.Sum(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(terms));
    }
}
