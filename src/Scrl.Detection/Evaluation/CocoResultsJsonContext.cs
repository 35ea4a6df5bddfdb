using System.Text.Json.Serialization;

namespace Scrl.Detection.Evaluation;

/// <summary>Source-generated (de)serialization of COCO results lists (snake_case keys, as pycocotools writes them).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<CocoDetection>))]
internal sealed partial class CocoResultsJsonContext : JsonSerializerContext;
