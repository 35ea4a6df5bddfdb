namespace Scrl.Core.Interop;

/// <summary>
/// The state-dict key layout of a torchvision ResNet trunk (the model minus <c>fc.*</c>), generated
/// from block type and blocks per stage, so exports and imports can be checked without a model.
/// </summary>
/// <remarks>Mirrors torchvision models/resnet.py (BasicBlock, Bottleneck, ResNet._make_layer).</remarks>
public sealed record ResNetLayout(int Depth, bool Bottleneck, IReadOnlyList<int> BlocksPerStage)
{
    /// <summary>The five depths torchvision defines (ResNeXt/wide variants share the 50/101 key sets).</summary>
    public static readonly IReadOnlyList<ResNetLayout> Torchvision =
    [
        new(18, false, [2, 2, 2, 2]),
        new(34, false, [3, 4, 6, 3]),
        new(50, true, [3, 4, 6, 3]),
        new(101, true, [3, 4, 23, 3]),
        new(152, true, [3, 8, 36, 3]),
    ];

    /// <summary>The <see cref="Models.ResNetBackbone"/> that builds this layout.</summary>
    /// <exception cref="ArgumentException">ResNet-152, which <see cref="Models.ResNetBackbone"/> does not build.</exception>
    public Models.ResNetVariant Variant => Depth switch
    {
        18 => Models.ResNetVariant.ResNet18,
        34 => Models.ResNetVariant.ResNet34,
        50 => Models.ResNetVariant.ResNet50,
        101 => Models.ResNetVariant.ResNet101,
        _ => throw new ArgumentException($"a ResNet-{Depth} is not built by ResNetBackbone"),
    };

    private static readonly string[] BatchNormEntries = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"];

    /// <summary>Trunk keys in torchvision's <c>state_dict()</c> order.</summary>
    public IReadOnlyList<string> BackboneKeys()
    {
        var keys = new List<string>();
        AddConvBn(keys, "", "conv1", "bn1");
        int convsPerBlock = Bottleneck ? 3 : 2;
        for (int stage = 1; stage <= BlocksPerStage.Count; stage++)
        {
            for (int block = 0; block < BlocksPerStage[stage - 1]; block++)
            {
                string prefix = $"layer{stage}.{block}.";
                for (int c = 1; c <= convsPerBlock; c++) AddConvBn(keys, prefix, $"conv{c}", $"bn{c}");
                // Block 0 changes width (and stride after stage 1); BasicBlock in stage 1 keeps both.
                if (block == 0 && (stage > 1 || Bottleneck)) AddConvBn(keys, prefix, "downsample.0", "downsample.1");
            }
        }
        return keys;
    }

    /// <summary>
    /// Finds the torchvision layout whose keys equal <paramref name="keys"/>; throws
    /// <see cref="CheckpointMismatchException"/> against the closest layout otherwise.
    /// </summary>
    /// <param name="keys">Keys of a trunk state dict, without <c>fc.*</c>.</param>
    /// <param name="context">Names the source in the error, e.g. a file path.</param>
    public static ResNetLayout Match(IEnumerable<string> keys, string context)
    {
        var actual = keys.ToHashSet(StringComparer.Ordinal);
        var diffs = Torchvision.Select(layout =>
        {
            var expected = layout.BackboneKeys();
            var missing = expected.Where(k => !actual.Contains(k)).ToList();
            var expectedSet = expected.ToHashSet(StringComparer.Ordinal);
            var unexpected = actual.Where(k => !expectedSet.Contains(k)).Order(StringComparer.Ordinal).ToList();
            return (layout, missing, unexpected);
        }).MinBy(d => d.missing.Count + d.unexpected.Count);

        if (diffs.missing.Count + diffs.unexpected.Count > 0)
            throw new CheckpointMismatchException($"{context} (closest layout: torchvision resnet{diffs.layout.Depth})",
                diffs.missing, diffs.unexpected);
        return diffs.layout;
    }

    private static void AddConvBn(List<string> keys, string prefix, string conv, string bn)
    {
        keys.Add($"{prefix}{conv}.weight");
        keys.AddRange(BatchNormEntries.Select(e => $"{prefix}{bn}.{e}"));
    }
}
