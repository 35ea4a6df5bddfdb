using Scrl.Core.Boxes;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Models;

/// <summary>
/// Encoder + projector, used as both the online and the target network. With RoIs (SCRL) the projector sees
/// RoIAligned C5 features of each box; without (BYOL) it sees the global-average-pooled C5 of each image.
/// </summary>
/// <remarks>
/// Mirrors kakaobrain/scrl models/backbone.py Backbone, except that the encoder keeps torchvision's attribute names
/// (<see cref="ResNetBackbone"/>) and pooled features are flattened, never squeezed (one box or image stays 2-D).
/// Keys: encoder.* (torchvision ResNet minus fc), projector.net.*.
/// Shapes: B images per view, R boxes per view, C encoder channels, D projection size.
/// </remarks>
public sealed class ScrlNetwork : nn.Module<Tensor, Tensor?, ScrlNetworkOutput>
{
    // Field names are state-dict keys: never rename.
    private readonly ResNetBackbone encoder;
    private readonly MlpHead projector;

    private readonly RoiPoolOptions _roiPool;

    /// <param name="encoder">The ResNet trunk.</param>
    /// <param name="projectorHidden">Hidden width of the projector MLP (4096 in the paper).</param>
    /// <param name="projectionSize">Output width D (256 in the paper).</param>
    /// <param name="roiPool">How box features are pooled; defaults to the official 1x1, 1/32, adaptive, legacy alignment.</param>
    public ScrlNetwork(ResNetBackbone encoder, long projectorHidden, long projectionSize, RoiPoolOptions? roiPool = null)
        : base(nameof(ScrlNetwork))
    {
        ArgumentNullException.ThrowIfNull(encoder);
        _roiPool = roiPool ?? new RoiPoolOptions();
        var errors = _roiPool.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(roiPool));
        this.encoder = encoder;
        long roiFeatures = encoder.OutputChannels * _roiPool.OutputSize * _roiPool.OutputSize;
        // BYOL feeds GAP features [2B, C] to the same projector, so it needs the default 1x1 RoI output size.
        projector = new MlpHead(roiFeatures, projectorHidden, projectionSize);
        RegisterComponents();
    }

    public ResNetBackbone Encoder => encoder;

    public MlpHead Projector => projector;

    /// <param name="images">Both views concatenated, [2B, 3, S, S].</param>
    /// <param name="rois">Boxes [2R, 5] = (batchIdx, x1, y1, x2, y2) in view pixels, view-2 indices offset by B; null for BYOL.</param>
    public override ScrlNetworkOutput forward(Tensor images, Tensor? rois)
    {
        var c5 = encoder.call(images);                                           // [2B, C, S/32, S/32]
        var pooled = c5.mean([2, 3]);                                            // [2B, C]
        Tensor features;
        if (rois is null)
        {
            features = pooled;
        }
        else
        {
            if (rois.dim() != 2 || rois.shape[1] != 5)
                throw new ArgumentException($"Expected rois [R, 5], got [{string.Join(", ", rois.shape)}].", nameof(rois));
            long size = _roiPool.OutputSize;
            features = RoiAlign.Apply(c5, rois, size, size, _roiPool.SpatialScale, _roiPool.SamplingRatio, _roiPool.Aligned)
                .flatten(1);                                                     // [2R, C*size*size]
        }
        return new ScrlNetworkOutput(projector.call(features), pooled);
    }
}
