using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Specs;

/// <summary>The self-supervised objective: SCRL (RoI-level, spatially consistent) or its BYOL image-level ablation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PretrainMethod>))]
public enum PretrainMethod
{
    [JsonStringEnumMemberName("scrl")] Scrl,
    [JsonStringEnumMemberName("byol")] Byol,
}
