using Scrl.Core.Interop;
using Scrl.Core.Models;
using Scrl.Detection.Backbones;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection.Training;

/// <summary>The detector a fine-tuning run trains, on a ResNet-FPN initialised from a pretrained backbone.</summary>
public static class FinetuneModel
{
    /// <summary>The checkpoint spec meaning "no pretrained weights".</summary>
    public const string RandomBackbone = "random";

    /// <summary>
    /// Builds the detector for <paramref name="numClasses"/> (background included) at the training sizes of
    /// <paramref name="options"/>, its body the ResNet of <paramref name="backbone"/> with those weights (read once).
    /// A pretrained backbone trains with frozen BatchNorm (detectron2's choice for fine-tuning on small per-GPU
    /// batches); <see cref="RandomBackbone"/> gives a random ResNet-50 with live BatchNorm statistics.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">The backbone's keys are not one ResNet trunk; the message lists every one.</exception>
    public static Detector Create(DetectorKind kind, int numClasses, string backbone, FinetuneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transform = new TransformOptions { MinSize = options.TrainMinSizes, MaxSize = options.MaxSize };
        if (backbone == RandomBackbone)
            return DetectorFactory.Create(kind, numClasses, new BackboneOptions { Norm = BackboneNorm.BatchNorm }, transform, proposals: options.Proposals);

        var weights = CheckpointImport.LoadBackbone(backbone);
        try
        {
            var variant = ResNetLayout.Match(weights.Keys, $"'{backbone}'").Variant;
            var model = DetectorFactory.Create(kind, numClasses, new BackboneOptions { Variant = variant, Norm = BackboneNorm.FrozenBatchNorm }, transform,
                                               proposals: options.Proposals);
            try
            {
                LoadBody(model, weights);
                return model;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    /// <summary>Loads body weights strictly; FrozenBatchNorm has no num_batches_tracked, so those keys are dropped first.</summary>
    private static void LoadBody(Detector model, IReadOnlyDictionary<string, Tensor> weights)
    {
        var bodyKeys = model.Backbone.Body.state_dict().Keys.ToHashSet();
        var usable = weights.Where(kv => bodyKeys.Contains(kv.Key) || !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToDictionary();
        BackboneLoad.Into(model.Backbone.Body, usable);
    }
}
