using System.Text.Json.Serialization;

namespace Scrl.Detection.Training;

/// <summary>How a fine-tuning run updates the weights.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FinetuneOptimizer>))]
public enum FinetuneOptimizer
{
    /// <summary>SGD with momentum and weight decay (detectron2's default: the R-CNNs and RetinaNet).</summary>
    Sgd,

    /// <summary>AdamW with decoupled weight decay (Sparse R-CNN, as its authors train it).</summary>
    AdamW,
}
