using static TorchSharp.torch;

namespace Scrl.Core.Boxes;

// Shapes: N boxes, W = ceil(N / 64) mask words per box.

/// <summary>Greedy non-maximum suppression with torchvision's results.</summary>
/// <remarks>
/// Float32 boxes on the CPU go through <see cref="NmsHostScan"/>, torchvision's CPU kernel. Elsewhere it follows
/// torchvision csrc/ops/cuda/nms_kernel.cu: the pairwise suppression matrix is built with tensor ops on the boxes'
/// device (IoU in the boxes' dtype, op for op as the CPU kernel computes it, so threshold decisions agree), packed
/// into 64-bit words, copied to the host once, and scanned in score order. Scores are sorted stably, as torchvision does.
/// </remarks>
public static class Nms
{
    private const int WordBits = 64;

    /// <param name="boxes">[N, 4] xyxy px.</param>
    /// <param name="scores">[N].</param>
    /// <param name="iouThreshold">A box is dropped when its IoU with a higher-scoring kept box exceeds this.</param>
    /// <returns>Indices of kept boxes [K] int64, in decreasing score order.</returns>
    public static Tensor Apply(Tensor boxes, Tensor scores, double iouThreshold)
    {
        if (boxes.dim() != 2 || boxes.shape[1] != 4 || scores.dim() != 1 || scores.shape[0] != boxes.shape[0])
            throw new ArgumentException($"Nms needs boxes [N, 4] and scores [N], got [{string.Join(", ", boxes.shape)}] and [{string.Join(", ", scores.shape)}].");
        long n = boxes.shape[0];
        if (n == 0) return empty(0, ScalarType.Int64, boxes.device);

        using var scope = NewDisposeScope();
        var order = scores.sort(0, descending: true, stable: true).Indices;                // [N]
        if (OnHost(boxes))
            return HostKeep(boxes, order, null, iouThreshold).MoveToOuterDisposeScope();
        var sorted = boxes.index_select(0, order);                                         // [N, 4]
        var suppresses = SuppressionMatrix(sorted, iouThreshold);                          // [N, N] bool, j > i only
        long[] words = PackBits(suppresses);                                               // N * W words, host

        var kept = Scan(words, n);
        var keptTensor = tensor(kept, ScalarType.Int64, boxes.device);
        return order.index_select(0, keptTensor).MoveToOuterDisposeScope();
    }

    /// <summary>NMS within each category: boxes of different <paramref name="categories"/> never suppress each other.</summary>
    /// <param name="boxes">[N, 4] xyxy px.</param>
    /// <param name="scores">[N].</param>
    /// <param name="categories">[N] integer category (class or FPN level) per box.</param>
    /// <returns>Kept indices [K] int64, in decreasing score order.</returns>
    /// <remarks>
    /// Like torchvision's batched_nms: up to <see cref="CoordinateTrickLimit"/> boxes, shift each category by
    /// (max coordinate + 1) so categories cannot overlap and run one NMS; beyond it, one NMS per category, so the
    /// [N, N] matrix never gets large.
    /// </remarks>
    public static Tensor Batched(Tensor boxes, Tensor scores, Tensor categories, double iouThreshold)
    {
        if (categories.dim() != 1 || categories.shape[0] != boxes.shape[0])
            throw new ArgumentException($"categories must be [N] for boxes [{string.Join(", ", boxes.shape)}], got [{string.Join(", ", categories.shape)}].", nameof(categories));
        if (boxes.shape[0] == 0) return empty(0, ScalarType.Int64, boxes.device);
        using var scope = NewDisposeScope();
        var keep = boxes.shape[0] <= CoordinateTrickLimit
            ? Apply(boxes + (categories.to(boxes.dtype) * (boxes.max() + 1)).unsqueeze(1), scores, iouThreshold)   // shifted [N, 4]
            : OnHost(boxes)
                ? HostKeep(boxes, scores.sort(0, descending: true, stable: true).Indices, categories, iouThreshold)
                : PerCategory(boxes, scores, categories, iouThreshold);
        return keep.MoveToOuterDisposeScope();
    }

    /// <summary>Box count above which <see cref="Batched"/> runs one NMS per category (torchvision: 4000 numel on CPU).</summary>
    public const long CoordinateTrickLimit = 1000;

    private static bool OnHost(Tensor boxes) => boxes.device_type == TorchSharp.DeviceType.CPU && boxes.dtype == ScalarType.Float32;

    /// <summary>Copies boxes, score order and categories to the host once and runs torchvision's CPU kernel there.</summary>
    /// <param name="order">[N] box indices by decreasing score.</param>
    /// <returns>Kept indices [K] int64, in decreasing score order.</returns>
    private static Tensor HostKeep(Tensor boxes, Tensor order, Tensor? categories, double iouThreshold)
    {
        var kept = NmsHostScan.Keep(boxes.contiguous().data<float>().ToArray(), order.data<long>().ToArray(),
                                    categories?.to(ScalarType.Int64).contiguous().data<long>().ToArray(), iouThreshold);
        return tensor(kept, ScalarType.Int64, boxes.device);
    }

    private static Tensor PerCategory(Tensor boxes, Tensor scores, Tensor categories, double iouThreshold)
    {
        var keepMask = zeros(boxes.shape[0], ScalarType.Bool, boxes.device);               // [N]
        var unique = categories.to(ScalarType.Int64).unique().Item1.cpu().data<long>().ToArray();
        foreach (long c in unique)
        {
            var members = nonzero(categories.eq(c)).view(-1);                               // [Nc]
            var kept = Apply(boxes.index_select(0, members), scores.index_select(0, members), iouThreshold);
            keepMask.index_put_(true, new[] { members.index_select(0, kept) });
        }
        var keep = nonzero(keepMask).view(-1);                                             // [K], index order
        return keep.index_select(0, scores.index_select(0, keep).sort(0, descending: true, stable: true).Indices);
    }

    /// <returns>[N, N] bool: entry (i, j) is true when j comes after i in score order and IoU(i, j) &gt; threshold.</returns>
    private static Tensor SuppressionMatrix(Tensor sorted, double iouThreshold)
    {
        long n = sorted.shape[0];
        var x1 = sorted[.., 0];
        var y1 = sorted[.., 1];
        var x2 = sorted[.., 2];
        var y2 = sorted[.., 3];
        var areas = (x2 - x1) * (y2 - y1);                                                 // [N]
        var w = (minimum(x2.unsqueeze(1), x2.unsqueeze(0)) - maximum(x1.unsqueeze(1), x1.unsqueeze(0))).clamp_min(0);   // [N, N]
        var h = (minimum(y2.unsqueeze(1), y2.unsqueeze(0)) - maximum(y1.unsqueeze(1), y1.unsqueeze(0))).clamp_min(0);
        var inter = w * h;
        var iou = inter / (areas.unsqueeze(1) + areas.unsqueeze(0) - inter);                // [N, N]
        var later = ones(n, n, ScalarType.Bool, sorted.device).triu(1);
        return (iou > iouThreshold).logical_and(later);
    }

    /// <summary>Packs each row into 64-bit words (bit b of word w = column 64w + b), then copies them to the host.</summary>
    private static long[] PackBits(Tensor mask)
    {
        long n = mask.shape[0];
        long wordCount = (n + WordBits - 1) / WordBits;
        var padded = nn.functional.pad(mask.to(ScalarType.Int64), [0, wordCount * WordBits - n]);   // [N, W*64]
        var bitValues = ones(WordBits, ScalarType.Int64, mask.device)
            .bitwise_left_shift(arange(WordBits, ScalarType.Int64, mask.device));               // [64]; bit 63 wraps to long.MinValue
        var words = (padded.view(n, wordCount, WordBits) * bitValues).sum(2, type: ScalarType.Int64);   // [N, W], distinct bits: no carries
        return words.cpu().data<long>().ToArray();
    }

    /// <summary>Greedy scan in score order: keep a box unless a kept box has marked it.</summary>
    private static long[] Scan(long[] words, long n)
    {
        long wordCount = (n + WordBits - 1) / WordBits;
        var removed = new ulong[wordCount];
        var kept = new List<long>();
        for (long i = 0; i < n; i++)
        {
            if ((removed[i / WordBits] >> (int)(i % WordBits) & 1UL) != 0) continue;
            kept.Add(i);
            long row = i * wordCount;
            for (long w = i / WordBits; w < wordCount; w++) removed[w] |= (ulong)words[row + w];
        }
        return kept.ToArray();
    }
}
