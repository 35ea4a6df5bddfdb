using Scrl.Core.Interop;
using Scrl.Core.Models;
using Scrl.Detection.Backbones;
using Scrl.Detection.Transform;

namespace Scrl.Detection.Training;

/// <summary>The detector a fine-tuning run trains, on a ResNet-FPN initialised from a pretrained backbone.</summary>
public static class FinetuneModel
{
    /// <summary>The checkpoint spec meaning "no pretrained weights".</summary>
    public const string RandomBackbone = "random";

    /// <summary>
    /// Builds the detector for <paramref name="numClasses"/> (background included) at the training sizes of
    /// <paramref name="options"/>. A pretrained backbone trains with frozen BatchNorm (detectron2's choice for
    /// fine-tuning on small per-GPU batches); a random one needs live BatchNorm statistics.
    /// </summary>
    public static Detector Create(DetectorKind kind, int numClasses, ResNetVariant variant, bool pretrained, FinetuneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return DetectorFactory.Create(kind, numClasses,
            new BackboneOptions { Variant = variant, Norm = pretrained ? BackboneNorm.FrozenBatchNorm : BackboneNorm.BatchNorm },
            new TransformOptions { MinSize = options.TrainMinSizes, MaxSize = options.MaxSize });
    }

    /// <summary>The ResNet a backbone checkpoint holds (from its keys); <paramref name="fallback"/> for <c>random</c>.</summary>
    public static ResNetVariant VariantOf(string checkpoint, ResNetVariant fallback)
    {
        if (checkpoint == RandomBackbone) return fallback;
        var weights = CheckpointImport.LoadBackbone(checkpoint);
        try
        {
            return ResNetLayout.Match(weights.Keys, $"'{checkpoint}'").Variant;
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    /// <summary>Loads body weights strictly; FrozenBatchNorm has no num_batches_tracked, so those keys are dropped first.</summary>
    /// <exception cref="CheckpointMismatchException">Keys are missing or unexpected; the message lists every one.</exception>
    public static void LoadBackbone(Detector model, string checkpoint)
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = CheckpointImport.LoadBackbone(checkpoint);
        try
        {
            var bodyKeys = model.Backbone.Body.state_dict().Keys.ToHashSet();
            var usable = weights.Where(kv => bodyKeys.Contains(kv.Key) || !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToDictionary();
            BackboneLoad.Into(model.Backbone.Body, usable);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }
}
