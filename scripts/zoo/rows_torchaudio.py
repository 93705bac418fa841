"""torchaudio 0.13: speech models and the spectrogram transforms, as users script them for inference.

wav2vec2 and HuBERT are the real base builders (95M parameters); the other models use the builders'
documented small configurations so a row runs in seconds. Audio is 16 kHz; models that take lengths get
a batch of two with different lengths, so their masking is exercised."""

import torch
import torchaudio
from torch import nn, Tensor
from torchaudio import models, transforms

from catalog import Row

SR = 16000


def audio(seconds):
    return lambda batch: (torch.randn(batch, int(SR * seconds)),)


def features_with_lengths(time, dim):
    """(batch, time, dim) features and per-item lengths (the second item shorter)."""

    def make(batch):
        lengths = torch.tensor([time - 3 * i for i in range(batch)], dtype=torch.int32)
        return torch.randn(batch, time, dim), lengths

    return make


class Wav2Vec2Features(nn.Module):
    """wav2vec2/HuBERT as users call them for features: extract_features returns every layer's output."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, waveforms: Tensor, lengths: Tensor):
        return self.model.extract_features(waveforms, lengths)


def wav2vec2_inputs(batch):
    waveforms = torch.randn(batch, SR)
    lengths = torch.tensor([SR - 2000 * i for i in range(batch)])
    return waveforms, lengths


def wav2vec2_features(builder):
    """A row of a real base model (95M parameters, scripted only) from torchaudio.models.<builder>."""
    make = getattr(models, builder)
    return Row(
        f"torchaudio.{builder}",
        "torchaudio",
        lambda: Wav2Vec2Features(make()),
        wav2vec2_inputs,
        modes=("script",),
        test_batch=2,
        builder=f"torchaudio.models.{builder}",
    )


class Prenet(nn.Module):
    """Tacotron2's prenet without its always-on dropout (torchaudio keeps dropout on at inference, which
    makes outputs random); everything else is torchaudio's."""

    def __init__(self, prenet):
        super().__init__()
        self.layers = prenet.layers

    def forward(self, x: Tensor) -> Tensor:
        for linear in self.layers:
            x = torch.relu(linear(x))
        return x


class TacotronInfer(nn.Module):
    def __init__(self):
        super().__init__()
        model = models.Tacotron2(
            n_symbol=40,
            symbol_embedding_dim=64,
            encoder_embedding_dim=64,
            decoder_rnn_dim=128,
            decoder_max_step=12,
            attention_rnn_dim=128,
            attention_hidden_dim=32,
            attention_location_n_filter=8,
            prenet_dim=32,
            postnet_embedding_dim=64,
            n_mels=40,
        )
        model.decoder.prenet = Prenet(model.decoder.prenet)
        self.model = model

    def forward(self, tokens: Tensor, lengths: Tensor):
        return self.model.infer(tokens, lengths)


def tacotron_inputs(batch):
    return torch.randint(1, 40, (batch, 9)), torch.tensor([9 - i for i in range(batch)])


def emformer():
    return models.Emformer(
        input_dim=64, num_heads=4, ffn_dim=128, num_layers=2, segment_length=4, right_context_length=1
    )


def rnnt():
    return models.emformer_rnnt_model(
        input_dim=40,
        encoding_dim=64,
        num_symbols=30,
        segment_length=4,
        right_context_length=1,
        time_reduction_input_dim=64,
        time_reduction_stride=2,
        transformer_num_heads=4,
        transformer_ffn_dim=128,
        transformer_num_layers=2,
        transformer_dropout=0.0,
        transformer_activation="gelu",
        transformer_left_context_length=8,
        transformer_max_memory_size=0,
        transformer_weight_init_scale_strategy="depthwise",
        transformer_tanh_on_mem=True,
        symbol_embedding_dim=32,
        num_lstm_layers=2,
        lstm_layer_norm=True,
        lstm_layer_norm_epsilon=1e-5,
        lstm_dropout=0.0,
    )


def rnnt_inputs(batch):
    sources = torch.randn(batch, 17, 40)
    source_lengths = torch.tensor([17 - 2 * i for i in range(batch)], dtype=torch.int32)
    targets = torch.randint(0, 30, (batch, 5), dtype=torch.int32)
    target_lengths = torch.tensor([5 - i for i in range(batch)], dtype=torch.int32)
    return sources, source_lengths, targets, target_lengths


def wavernn_inputs(batch):
    # hop 200 = 5*5*8; the waveform is (n_time - kernel_size + 1) * hop_length long
    return torch.rand(batch, 1, (10 - 5 + 1) * 200) * 2 - 1, torch.randn(batch, 1, 32, 10)


def complex_spec(batch):
    return (torch.stft(torch.randn(batch, 4000), 400, 100, window=torch.hann_window(400), return_complex=True),)


AUDIO = dict(modes=("script", "trace"), test_batch=2)


def transform(name, make, inputs, **options):
    """A row of the `transforms` family: torchaudio.transforms.<name>, scripted and traced like the models."""
    return Row(f"torchaudio.{name}", "transforms", make, inputs, **AUDIO, **options)


ROWS = [
    wav2vec2_features("wav2vec2_base"),
    wav2vec2_features("hubert_base"),
    Row(
        "torchaudio.wav2vec2_large_lv60k.small",
        "torchaudio",
        lambda: models.wav2vec2_model(
            "layer_norm", [(32, 10, 5), (32, 3, 2), (32, 2, 2)], True, 48, 0.0, 16, 4, 2, 4, 0.0, 96, 0.0, 0.0, True, 0.0, 29
        ),
        wav2vec2_inputs,
        test_batch=2,
        note="the large_lv60k layout (layer-norm extractor, pre-norm encoder, CTC head) at a small width",
    ),
    Row(
        "torchaudio.Conformer",
        "torchaudio",
        lambda: models.Conformer(input_dim=40, num_heads=4, ffn_dim=64, num_layers=2, depthwise_conv_kernel_size=7),
        features_with_lengths(20, 40),
        **AUDIO,
    ),
    Row("torchaudio.Emformer", "torchaudio", emformer, features_with_lengths(13, 64), modes=("script",), test_batch=2),
    Row("torchaudio.RNNT.emformer", "torchaudio", rnnt, rnnt_inputs, modes=("script",), test_batch=2),
    Row(
        "torchaudio.Tacotron2.infer",
        "torchaudio",
        TacotronInfer,
        tacotron_inputs,
        modes=("script",),
        test_batch=2,
        atol=1e-4,
        note="infer() for 12 decoder steps; prenet dropout off (torchaudio keeps it on at inference)",
    ),
    Row(
        "torchaudio.WaveRNN",
        "torchaudio",
        lambda: models.WaveRNN(upsample_scales=[5, 5, 8], n_classes=64, hop_length=200, n_freq=32, n_rnn=64, n_fc=64),
        wavernn_inputs,
        **AUDIO,
    ),
    Row(
        "torchaudio.ConvTasNet",
        "torchaudio",
        lambda: models.ConvTasNet(
            num_sources=2, enc_kernel_size=16, enc_num_feats=64, msk_kernel_size=3, msk_num_feats=32,
            msk_num_hidden_feats=64, msk_num_layers=3, msk_num_stacks=2,
        ),
        lambda b: (torch.randn(b, 1, 4000),),
        **AUDIO,
    ),
    transform("Spectrogram", lambda: transforms.Spectrogram(n_fft=400), audio(0.5)),
    transform(
        "Spectrogram.complex",
        lambda: transforms.Spectrogram(n_fft=256, power=None),
        audio(0.25),
        note="power=None: a complex spectrogram",
    ),
    transform("MelSpectrogram", lambda: transforms.MelSpectrogram(SR, n_mels=64), audio(0.5)),
    transform("MFCC", lambda: transforms.MFCC(SR, n_mfcc=20, melkwargs={"n_mels": 40}), audio(0.5), atol=1e-4),
    transform("LFCC", lambda: transforms.LFCC(SR, n_lfcc=20, speckwargs={"n_fft": 400}), audio(0.5), atol=1e-4),
    transform("AmplitudeToDB", lambda: transforms.AmplitudeToDB(top_db=80.0), lambda b: (torch.rand(b, 64, 30) * 10,)),
    transform("Resample", lambda: transforms.Resample(SR, 8000), audio(0.25)),
    transform("InverseSpectrogram", lambda: transforms.InverseSpectrogram(n_fft=400, hop_length=100), complex_spec),
    transform(
        "GriffinLim",
        lambda: transforms.GriffinLim(n_fft=256, n_iter=4, rand_init=False),
        lambda b: (torch.rand(b, 129, 20),),
        atol=1e-4,
    ),
    transform("ComputeDeltas", lambda: transforms.ComputeDeltas(), lambda b: (torch.randn(b, 20, 30),)),
    transform("SpectralCentroid", lambda: transforms.SpectralCentroid(SR, n_fft=400), audio(0.25), atol=1e-4),
    transform("TimeStretch", lambda: transforms.TimeStretch(hop_length=100, n_freq=201, fixed_rate=1.3), complex_spec),
]

SKIPPED = {
    "torchaudio.models.HDemucs": "not in issue 11's list; large (hdemucs_low is 80M parameters)",
    "torchaudio.transforms.InverseMelScale": "fits with torch.optim.SGD in forward, which TorchScript cannot compile",
    "torchaudio.transforms.FrequencyMasking/TimeMasking": "random masks (outputs differ by construction)",
}
