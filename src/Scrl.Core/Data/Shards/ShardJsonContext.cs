using System.Text.Json.Serialization;

namespace Scrl.Core.Data.Shards;

/// <summary>Source-generated json for shard members and the index (camelCase, compact so sample json stays small).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ShardAnnotation))]
[JsonSerializable(typeof(ShardIndex))]
public sealed partial class ShardJsonContext : JsonSerializerContext;
