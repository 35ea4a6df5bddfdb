using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Jobs;

/// <summary>The stages of a run that workers execute.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StageKind>))]
public enum StageKind { Shard, Pretrain, RoiEval, Finetune, Report }
