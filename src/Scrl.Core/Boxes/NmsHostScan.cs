namespace Scrl.Core.Boxes;

// Shapes: N boxes, xyxy px, as flat host arrays [N*4].

/// <summary>
/// torchvision's CPU NMS kernel (csrc/ops/cpu/nms_kernel.cpp) on host arrays: in score order, each kept box
/// suppresses the later boxes of its category whose IoU with it exceeds the threshold. IoU is computed only
/// against boxes still in play, in float32, op for op as the kernel does, so every decision agrees with it.
/// </summary>
internal static class NmsHostScan
{
    /// <param name="coordinates">Boxes [N*4] xyxy, float32.</param>
    /// <param name="order">Box indices by decreasing score (stable).</param>
    /// <param name="categories">Category per box [N], or null when every box is in one category.</param>
    /// <returns>Kept box indices, in <paramref name="order"/>'s order.</returns>
    public static long[] Keep(float[] coordinates, long[] order, long[]? categories, double iouThreshold)
    {
        int n = order.Length;
        var areas = new float[n];
        for (int i = 0; i < n; i++)
            areas[i] = (coordinates[4 * i + 2] - coordinates[4 * i]) * (coordinates[4 * i + 3] - coordinates[4 * i + 1]);
        var suppressed = new bool[n];
        // One scan per category: boxes of other categories never suppress each other, so they need no IoU.
        var groups = categories is null ? [order] : order.GroupBy(i => categories[i]).Select(g => g.ToArray());
        foreach (var group in groups) Scan(coordinates, areas, group, suppressed, iouThreshold);
        return order.Where(i => !suppressed[i]).ToArray();
    }

    private static void Scan(float[] c, float[] areas, long[] order, bool[] suppressed, double iouThreshold)
    {
        for (int a = 0; a < order.Length; a++)
        {
            long i = order[a];
            if (suppressed[i]) continue;
            float ix1 = c[4 * i], iy1 = c[4 * i + 1], ix2 = c[4 * i + 2], iy2 = c[4 * i + 3], iarea = areas[i];
            for (int b = a + 1; b < order.Length; b++)
            {
                long j = order[b];
                if (suppressed[j]) continue;
                float w = MathF.Max(0f, MathF.Min(ix2, c[4 * j + 2]) - MathF.Max(ix1, c[4 * j]));
                float h = MathF.Max(0f, MathF.Min(iy2, c[4 * j + 3]) - MathF.Max(iy1, c[4 * j + 1]));
                float inter = w * h;
                float overlap = inter / (iarea + areas[j] - inter);
                if (overlap > iouThreshold) suppressed[j] = true;                 // float compared as double, as in C++
            }
        }
    }
}
