using System.Text.Json.Serialization;

namespace Scrl.Core.Training.Checkpoints;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CheckpointMeta))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
