using CoreDataConverter = DurableTask.Core.Serializing.DataConverter;
using SdkConverter = Microsoft.DurableTask.DataConverter;

namespace Scrl.Cli.Emulation;

/// <summary>DurableTask.Core's converter slot filled with the SDK's System.Text.Json converter, so what the
/// <see cref="DurableTask.Core.TaskHubClient"/> writes (inputs, events) is what the shimmed orchestrators read.</summary>
internal sealed class SdkDataConverter(SdkConverter inner) : CoreDataConverter
{
    public override string Serialize(object value) => inner.Serialize(value)!;

    public override string Serialize(object value, bool formatted) => inner.Serialize(value)!;

    public override object Deserialize(string data, Type objectType) => inner.Deserialize(data, objectType)!;
}
