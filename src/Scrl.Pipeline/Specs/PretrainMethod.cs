using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Specs;

/// <summary>The self-supervised objective: SCRL (RoI-level, spatially consistent), its BYOL image-level ablation, and
/// the paper's variants: SCRL with SimCLR's contrastive loss (appendix I) and image-level BYOL on spatially consistent
/// inputs (appendix J). Name the matching preset too (<c>scrl_contrastive_200ep</c>, <c>input_consistency_200ep</c>):
/// the method alone keeps the preset's network and optimizer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PretrainMethod>))]
public enum PretrainMethod
{
    [JsonStringEnumMemberName("scrl")] Scrl,
    [JsonStringEnumMemberName("byol")] Byol,
    [JsonStringEnumMemberName("scrl-contrastive")] ScrlContrastive,
    [JsonStringEnumMemberName("input-consistency")] InputConsistency,
}
