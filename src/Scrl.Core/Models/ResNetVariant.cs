namespace Scrl.Core.Models;

/// <summary>The torchvision ResNets SCRL can use as its encoder.</summary>
public enum ResNetVariant
{
    ResNet18,
    ResNet34,
    ResNet50,
    ResNet101,
}
