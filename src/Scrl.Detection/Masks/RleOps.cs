namespace Scrl.Detection.Masks;

/// <summary>Area, bounding box, union/intersection and IoU of run-length masks, with maskApi.c's unsigned arithmetic.</summary>
/// <remarks>Mirrors cocodataset/cocoapi common/maskApi.c (pycocotools 2.0.11) <c>rleArea</c>, <c>rleToBbox</c>, <c>rleMerge</c>, <c>rleIou</c>, <c>bbIou</c>.</remarks>
public static class RleOps
{
    /// <summary><c>rleArea</c>: pixels inside (the odd runs), as a wrapping uint.</summary>
    public static uint Area(Rle rle)
    {
        ArgumentNullException.ThrowIfNull(rle);
        ReadOnlySpan<uint> counts = rle.Counts;
        uint a = 0;
        for (int j = 1; j < counts.Length; j += 2) a += counts[j];
        return a;
    }

    /// <summary><c>rleToBbox</c>: [x, y, w, h] of the pixels inside; all 0 for an empty mask.</summary>
    public static RleBox ToBbox(Rle rle)
    {
        ArgumentNullException.ThrowIfNull(rle);
        uint h = (uint)rle.Height, w = (uint)rle.Width;
        ReadOnlySpan<uint> counts = rle.Counts;
        int m = counts.Length / 2 * 2;
        if (m == 0 || h == 0) return default;
        uint xs = w, ys = h, xe = 0, ye = 0, cc = 0;
        for (int j = 0; j < m; j++)
        {
            uint start = cc;
            cc += counts[j];
            if (j % 2 == 0 || counts[j] == 0) continue;      // background, or an empty foreground run
            uint yStart = start % h, xStart = (start - yStart) / h;
            uint yEnd = (cc - 1) % h, xEnd = (cc - 1 - yEnd) / h;
            xs = Math.Min(xs, xStart);
            xe = Math.Max(xe, xEnd);
            if (xStart < xEnd)
            {
                ys = 0;                                      // the run crosses a column boundary
                ye = h - 1;
            }
            else
            {
                ys = Math.Min(ys, yStart);
                ye = Math.Max(ye, yEnd);
            }
        }
        return new RleBox(xs, ys, unchecked(xe - xs + 1), unchecked(ye - ys + 1));
    }

    /// <summary>
    /// <c>rleMerge</c>: union (or intersection) of masks of one size; masks of different sizes give an empty 0 x 0
    /// result, as in maskApi.c.
    /// </summary>
    public static Rle Merge(IReadOnlyList<Rle> rles, bool intersect)
    {
        ArgumentNullException.ThrowIfNull(rles);
        if (rles.Count == 0) return new Rle(0, 0, []);
        if (rles.Count == 1) return new Rle(rles[0].Height, rles[0].Width, rles[0].Counts.ToArray());
        int h = rles[0].Height, w = rles[0].Width;
        uint[] acc = rles[0].Counts.ToArray();
        for (int i = 1; i < rles.Count; i++)
        {
            Rle b = rles[i];
            if (b.Height != h || b.Width != w) return new Rle(0, 0, []);
            acc = MergeTwo(acc, RequireRuns(b.Counts), intersect);
        }
        return new Rle(h, w, acc);
    }

    private static uint[] MergeTwo(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b, bool intersect)
    {
        RequireRuns(a);
        var cnts = new uint[a.Length + b.Length + 1];           // every output run ends at an input run's end
        uint ca = a[0], cb = b[0], cc = 0, ct = 1;
        bool v = false, va = false, vb = false;
        int ia = 1, ib = 1, m = 0;
        while (ct > 0)
        {
            uint c = Math.Min(ca, cb);
            cc += c;
            ct = 0;
            ca -= c;
            if (ca == 0 && ia < a.Length) { ca = a[ia++]; va = !va; }
            ct += ca;
            cb -= c;
            if (cb == 0 && ib < b.Length) { cb = b[ib++]; vb = !vb; }
            ct += cb;
            bool vp = v;
            v = intersect ? va && vb : va || vb;
            if (v != vp || ct == 0) { cnts[m++] = cc; cc = 0; }
        }
        return cnts[..m];
    }

    /// <summary>
    /// <c>rleIou</c>: [D * G] overlaps, d-major. Against a crowd ground truth the union is the detection's area.
    /// A pair whose boxes do not overlap is 0; a pair of different image sizes is -1.
    /// </summary>
    public static double[] Iou(IReadOnlyList<Rle> detections, IReadOnlyList<Rle> groundTruths, ReadOnlySpan<bool> isCrowd)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(groundTruths);
        if (isCrowd.Length != groundTruths.Count)
            throw new ArgumentException($"isCrowd has {isCrowd.Length} flags for {groundTruths.Count} ground truths.", nameof(isCrowd));
        var dtBoxes = detections.Select(ToBbox).ToArray();
        var gtBoxes = groundTruths.Select(ToBbox).ToArray();
        var iou = new double[detections.Count * groundTruths.Count];
        for (int d = 0; d < detections.Count; d++)
            for (int g = 0; g < groundTruths.Count; g++)
                iou[d * groundTruths.Count + g] = Iou(detections[d], dtBoxes[d], groundTruths[g], gtBoxes[g], isCrowd[g]);
        return iou;
    }

    /// <summary>One pair of <see cref="Iou(IReadOnlyList{Rle}, IReadOnlyList{Rle}, ReadOnlySpan{bool})"/>, with the boxes already computed.</summary>
    public static double Iou(Rle dt, RleBox dtBox, Rle gt, RleBox gtBox, bool crowd)
    {
        double o = BoxIou(dtBox, gtBox, crowd);
        if (!(o > 0)) return o;
        if (dt.Height != gt.Height || dt.Width != gt.Width) return -1;
        ReadOnlySpan<uint> a = RequireRuns(dt.Counts), b = RequireRuns(gt.Counts);
        uint ca = a[0], cb = b[0], i = 0, u = 0, ct = 1;
        bool va = false, vb = false;
        int ka = 1, kb = 1;
        while (ct > 0)
        {
            uint c = Math.Min(ca, cb);
            if (va || vb)
            {
                u += c;
                if (va && vb) i += c;
            }
            ct = 0;
            ca -= c;
            if (ca == 0 && ka < a.Length) { ca = a[ka++]; va = !va; }
            ct += ca;
            cb -= c;
            if (cb == 0 && kb < b.Length) { cb = b[kb++]; vb = !vb; }
            ct += cb;
        }
        if (i == 0) u = 1;
        else if (crowd) u = Area(dt);
        return (double)i / u;
    }

    /// <summary><c>bbIou</c> of [x, y, w, h] boxes; against a crowd the union is the detection's area.</summary>
    public static double BoxIou(RleBox dt, RleBox gt, bool crowd)
    {
        double da = dt.Width * dt.Height, ga = gt.Width * gt.Height;
        double w = Math.Min(dt.Width + dt.X, gt.Width + gt.X) - Math.Max(dt.X, gt.X);
        if (w <= 0) return 0;
        double h = Math.Min(dt.Height + dt.Y, gt.Height + gt.Y) - Math.Max(dt.Y, gt.Y);
        if (h <= 0) return 0;
        double inter = w * h;
        return inter / (crowd ? da : da + ga - inter);
    }

    // maskApi.c reads cnts[0] unguarded; a mask without runs never comes from encode, decode or a polygon.
    private static ReadOnlySpan<uint> RequireRuns(ReadOnlySpan<uint> counts) =>
        counts.Length > 0 ? counts : throw new ArgumentException("A run-length mask without runs cannot be merged or compared.");
}
