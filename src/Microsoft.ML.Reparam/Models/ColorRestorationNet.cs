using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Tasks.Restoration;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// A restoration network on RGB in [0, 1] around a body that sees one colour signal (docs/restoration.md, "Colour"):
/// luma (the chroma upscaled bicubically by the body's scale, or kept), the gray mean (replicated back to RGB), or RGB
/// itself. The conversions are plain operations, evaluated the same way in training and in the folded graph.
/// </summary>
internal sealed class ColorRestorationNet : nn.Module<Tensor, Tensor>, IFoldable
{
    private readonly nn.Module<Tensor, Tensor> _body;
    private readonly RestorationColor _color;
    private readonly PlainCubicUpsample? _chromaUpsample;
    private readonly Dictionary<string, PlainWeights> _weights = []; // per device: the constants follow the input

    /// <param name="body">The network on the colour signal (1 channel for luma and gray, 3 for RGB).</param>
    /// <param name="color">The colour signal.</param>
    /// <param name="scale">The body's upscale factor (1 for denoising).</param>
    public ColorRestorationNet(nn.Module<Tensor, Tensor> body, RestorationColor color, int scale)
        : base(nameof(ColorRestorationNet))
    {
        _body = body;
        _color = color;
        _chromaUpsample = scale > 1 ? new PlainCubicUpsample(scale) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = _color switch
        {
            RestorationColor.Rgb => _body.forward(input),
            RestorationColor.Gray => Apply(ColorOps.Replicate, _body.forward(Apply(ColorOps.Gray, input))),
            _ => Apply(ColorOps.ToRgb, cat([_body.forward(Apply(ColorOps.Luma, input)), Upsampled(Apply(ColorOps.Chroma, input))], 1)),
        };
        return output.MoveToOuterDisposeScope();
    }

    PlainValue IFoldable.Fold(GraphFolder folder, PlainValue input)
    {
        var graph = folder.Builder;
        switch (_color)
        {
            case RestorationColor.Rgb:
                return folder.Fold(_body, input);
            case RestorationColor.Gray:
                return graph.Add(ColorOps.Replicate, folder.Fold(_body, graph.Add(ColorOps.Gray, input)));
            default:
                var luma = folder.Fold(_body, graph.Add(ColorOps.Luma, input));
                var chroma = graph.Add(ColorOps.Chroma, input);
                chroma = _chromaUpsample is null ? chroma : graph.Add(_chromaUpsample, chroma);
                return graph.Add(ColorOps.ToRgb, graph.Add(new PlainConcat(), luma, chroma));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            foreach (var weights in _weights.Values)
            {
                weights.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private Tensor Apply(PlainOp op, Tensor input)
    {
        var device = input.device.ToString();
        if (!_weights.TryGetValue(device, out var weights))
        {
            weights = new PlainWeights(input.device);
            _weights.Add(device, weights);
        }

        return op.Evaluate([input], weights);
    }

    private Tensor Upsampled(Tensor chroma) => _chromaUpsample is null ? chroma : Apply(_chromaUpsample, chroma);
}
