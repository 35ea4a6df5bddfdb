using System.Text.Json.Serialization;

namespace Scrl.Core.Data.Coco;

/// <summary>Source-generated (de)serialization for COCO files, which use snake_case keys.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CocoInstances))]
[JsonSerializable(typeof(CocoImageIndex))]
[JsonSerializable(typeof(CocoBoxInstances))]
public sealed partial class CocoJsonContext : JsonSerializerContext;
