namespace Scrl.Detection.Masks;

/// <summary>
/// Polygons and boxes to run-length masks exactly as pycocotools rasterizes them: vertices scaled by 5 and rounded,
/// edges walked point by point on that grid, and a pixel column entered where the walk crosses its centre.
/// </summary>
/// <remarks>
/// Mirrors cocodataset/cocoapi common/maskApi.c <c>rleFrPoly</c> and <c>rleFrBbox</c> with its int/uint/double
/// arithmetic. C's double-to-int casts are x86's (<see cref="CInt"/>): NaN and out-of-range give int.MinValue.
/// </remarks>
public static class RlePolygon
{
    private const double Scale = 5;

    /// <summary><c>rleFrPoly</c>: the mask of one polygon [x1, y1, x2, y2, ...] (pixels; an odd last number is ignored).</summary>
    public static Rle FromPolygon(ReadOnlySpan<double> xy, int height, int width)
    {
        int k = xy.Length / 2;
        if (k == 0) return new Rle(height, width, [unchecked((uint)((ulong)height * (ulong)width))]);
        var x = new int[k + 1];
        var y = new int[k + 1];
        for (int j = 0; j < k; j++) x[j] = CInt(Scale * xy[j * 2] + .5);
        x[k] = x[0];
        for (int j = 0; j < k; j++) y[j] = CInt(Scale * xy[j * 2 + 1] + .5);
        y[k] = y[0];

        // Upsample: every grid point along every edge.
        long points = 0;
        for (int j = 0; j < k; j++) points += Math.Max((uint)CAbs(x[j] - x[j + 1]), (uint)CAbs(y[j] - y[j + 1])) + 1L;
        var u = new int[points];
        var v = new int[points];
        int m = 0;
        for (int j = 0; j < k; j++)
        {
            int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
            int dx = CAbs(xe - xs), dy = CAbs(ys - ye);
            bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip) (xs, xe, ys, ye) = (xe, xs, ye, ys);
            double s = dx >= dy ? (double)(ye - ys) / dx : (double)(xe - xs) / dy;   // 0/0 = NaN for a repeated vertex, as in C
            if (dx >= dy)
                for (int d = 0; d <= dx; d++)
                {
                    int t = flip ? dx - d : d;
                    u[m] = t + xs;
                    v[m] = CInt(ys + s * t + .5);
                    m++;
                }
            else
                for (int d = 0; d <= dy; d++)
                {
                    int t = flip ? dy - d : d;
                    v[m] = t + ys;
                    u[m] = CInt(xs + s * t + .5);
                    m++;
                }
        }

        // Downsample: where the walk changes grid column at a pixel centre, the first row inside that column.
        double lastColumn = width == 0 ? ulong.MaxValue : (double)(width - 1);   // maskApi.c compares with the unsigned w-1
        var starts = new List<uint>();
        for (int j = 1; j < m; j++)
        {
            if (u[j] == u[j - 1]) continue;
            double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
            xd = (xd + .5) / Scale - .5;
            if (Math.Floor(xd) != xd || xd < 0 || xd > lastColumn) continue;
            double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
            yd = (yd + .5) / Scale - .5;
            if (yd < 0) yd = 0;
            else if (yd > height) yd = height;
            yd = Math.Ceiling(yd);
            starts.Add(unchecked((uint)((int)xd * height + (int)yd)));
        }
        starts.Add(unchecked((uint)((ulong)height * (ulong)width)));
        return new Rle(height, width, RunsFromBoundaries(starts));
    }

    /// <summary><c>rleFrBbox</c>: the mask of box [x, y, w, h], rasterized as its polygon.</summary>
    public static Rle FromBox(double x, double y, double w, double h, int height, int width)
    {
        double xe = x + w, ye = y + h;
        return FromPolygon([x, y, x, ye, xe, ye, xe, y], height, width);
    }

    /// <summary>C's <c>(int)</c> of a double on x86 (cvttsd2si): truncation, and int.MinValue for NaN or out of range.</summary>
    internal static int CInt(double value) =>
        double.IsNaN(value) || value >= 2147483648.0 || value <= -2147483649.0 ? int.MinValue : (int)value;

    // C's abs: int.MinValue stays itself instead of throwing.
    private static int CAbs(int v) => v == int.MinValue ? v : Math.Abs(v);

    // Sorted boundary positions to runs; a zero-length run merges its neighbours, as rleFrPoly's last loop does.
    private static uint[] RunsFromBoundaries(List<uint> a)
    {
        a.Sort();
        uint p = 0;
        for (int j = 0; j < a.Count; j++)
        {
            uint t = a[j];
            a[j] = unchecked(a[j] - p);
            p = t;
        }
        var b = new uint[a.Count];
        int i = 0, m = 0;
        b[m++] = a[i++];
        while (i < a.Count)
        {
            if (a[i] > 0) b[m++] = a[i++];
            else
            {
                i++;
                if (i < a.Count) b[m - 1] += a[i++];
            }
        }
        return b[..m];
    }
}
