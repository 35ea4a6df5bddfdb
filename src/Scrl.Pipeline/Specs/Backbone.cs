using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Specs;

/// <summary>The torchvision ResNet that is pretrained and then fine-tuned.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Backbone>))]
public enum Backbone
{
    [JsonStringEnumMemberName("resnet18")] ResNet18,
    [JsonStringEnumMemberName("resnet34")] ResNet34,
    [JsonStringEnumMemberName("resnet50")] ResNet50,
    [JsonStringEnumMemberName("resnet101")] ResNet101,
}
