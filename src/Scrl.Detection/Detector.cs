using Scrl.Detection.Backbones;
using static TorchSharp.torch;

namespace Scrl.Detection;

// Shapes: N images, each [3, H_i, W_i] float in [0, 1]; boxes xyxy px of the original images.

/// <summary>
/// What every detector offers the fine-tuning job, the predictor and the benchmarks, whatever its family
/// (two-stage, one-stage, set prediction): named training losses, detections per image, and one device.
/// </summary>
/// <remarks>
/// Inputs may live on any device; the detector moves them to its own. Detections come back on the detector's
/// device. <c>to(device)</c> moves the whole detector, buffers included.
/// </remarks>
public abstract class Detector : nn.Module<IReadOnlyList<Tensor>, IReadOnlyList<Detections>>
{
    protected Detector(string name) : base(name)
    {
    }

    public abstract DetectorKind Kind { get; }

    /// <summary>The ResNet-FPN, e.g. to load a pretrained SCRL/BYOL/ImageNet body into it.</summary>
    public abstract BackboneWithFpn Backbone { get; }

    /// <summary>Where the weights are; inputs are moved here.</summary>
    public Device Device => parameters().First().device;

    /// <summary>Training losses (call <c>train()</c> first).</summary>
    /// <param name="images">Each [3, H_i, W_i] float in [0, 1].</param>
    /// <param name="targets">Ground truth in each image's pixels.</param>
    /// <param name="generator">Seeded CPU source of every random draw (min size, samplers); null uses the default generator.</param>
    public DetectorLosses Losses(IReadOnlyList<Tensor> images, IReadOnlyList<DetectionTarget> targets, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(targets);
        if (!training) throw new InvalidOperationException($"{GetName()}.Losses needs train() mode.");
        if (targets.Count != images.Count) throw new ArgumentException($"{images.Count} images but {targets.Count} targets.", nameof(targets));
        var device = Device;
        return ComputeLosses(images.Select(i => i.to(device)).ToList(),
                             targets.Select(t => new DetectionTarget(t.Boxes.to(device), t.Labels.to(device), t.Masks?.to(device), t.Keypoints?.to(device))).ToList(),
                             generator);
    }

    /// <summary>Inference (call <c>eval()</c> first).</summary>
    /// <param name="images">Each [3, H_i, W_i] float in [0, 1].</param>
    /// <returns>Per image, detections in its original pixels, on the detector's device.</returns>
    public override IReadOnlyList<Detections> forward(IReadOnlyList<Tensor> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (training) throw new InvalidOperationException($"{GetName()}.forward is inference; call eval() first, or Losses() to train.");
        var device = Device;
        return Detect(images.Select(i => i.to(device)).ToList());
    }

    /// <param name="images">On the detector's device.</param>
    /// <param name="targets">On the detector's device, in each image's pixels.</param>
    protected abstract DetectorLosses ComputeLosses(IReadOnlyList<Tensor> images, IReadOnlyList<DetectionTarget> targets, Generator? generator);

    /// <param name="images">On the detector's device.</param>
    protected abstract IReadOnlyList<Detections> Detect(IReadOnlyList<Tensor> images);
}
