namespace Scrl.Core.Models;

/// <summary>The torchvision ResNets SCRL can use as its encoder.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ResNetVariant>))]
public enum ResNetVariant
{
    ResNet18,
    ResNet34,
    ResNet50,
    ResNet101,
}
