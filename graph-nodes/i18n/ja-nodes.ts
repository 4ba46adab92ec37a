/**
 * 日本語のノード説明: ノードの種類ごとのタイトル・説明・ポート・パラメータ（名前、ヘルプ、選択肢）。
 * 英語の原文は各 definition.ts にあり、これはその訳。tests/unit/i18n.test.ts が、すべての種類・ポート・
 * パラメータ・選択肢に訳があること（余計なものがないこと）を確かめる。tfjs も React も import しない。
 */
import type { Category } from '../core/define-node';
import type { PortType } from '../core/port-types';

export type PortText = { label: string; description?: string };
export type ParamText = { label: string; help: string; options?: Record<string, string> };
export type NodeText = {
  title: string;
  description: string;
  inputs: Record<string, PortText>;
  outputs: Record<string, PortText>;
  params: Record<string, ParamText>;
};

export const jaCategories: Record<Category, string> = {
  data: 'データ',
  preprocess: '前処理',
  model: 'モデル',
  score: 'スコア',
  evaluate: '評価',
};

export const jaPortTypes: Record<PortType, { label: string; meaning: string }> = {
  ImageSet: {
    label: '画像セット',
    meaning: '画像 float32 [N,H,W,C]（値は 0..1）。画像ごとのラベル（0 正常、1 異常、-1 不明）、名前、任意のマスク [N,H,W,1] 付き。',
  },
  Scores: { label: 'スコア', meaning: '画像 1 枚につき 1 つの異常スコア（高いほど異常）。採点した画像のラベルと名前付き。' },
  Embeddings: { label: '埋め込み', meaning: '画像 1 枚につき 1 本の特徴ベクトル float32 [N,D]。ラベルと名前付き（例: AutoEncoder の潜在表現）。' },
  Model: { label: 'モデル', meaning: '学習済みのネットワーク（例: AutoEncoder）。後段のノードで新しい画像に適用できる。' },
  FeatureExtractor: { label: '特徴抽出器', meaning: '画像を特徴マップに変換するネットワーク（事前学習済み CNN や AutoEncoder のエンコーダ）。' },
  Heatmaps: { label: 'ヒートマップ', meaning: '入力画像と位置のそろった画素ごとの異常マップ float32 [N,H,W,1]。' },
  Metrics: { label: '評価指標', meaning: '評価結果: ROC 曲線、AUROC、AP、件数。' },
};

const seedHelp = (what: string): ParamText => ({ label: '乱数シード', help: `乱数シード: 同じシードなら同じ${what}になる` });
const epochs: ParamText = { label: 'エポック数', help: '学習画像全体を何周するか' };
const batchSize: ParamText = { label: 'バッチサイズ', help: '1 回の学習ステップで使う画像の枚数' };
const learningRate: ParamText = { label: '学習率', help: 'Adam の学習率' };
const initSeed: ParamText = { label: '乱数シード', help: '重みの初期化とバッチの順序を決める乱数シード' };
const svddChannels: ParamText = {
  label: 'チャネル数',
  help: 'ストライド 2 の各畳み込み層のチャネル数（バイアスなし、leaky ReLU）。画像サイズは 2^層数 で割り切れる必要がある',
};
const kernelSize: ParamText = { label: 'カーネルサイズ', help: '畳み込みのカーネルサイズ（3 なら AutoEncoder と同じなので、そのエンコーダで畳み込みを初期化できる）' };
const repDim: ParamText = { label: '埋め込みの次元', help: '埋め込み φ(x) の次元数（超球が置かれる空間）' };
const weightDecay: ParamText = { label: '重み減衰', help: '重み減衰 λ: 損失に (λ/2)·Σ||W||² を加える（論文では 1e-6）' };
const pretrainedIn: PortText = {
  label: '事前学習済み（任意）',
  description: '例: AutoEncoder のエンコーダ。形の合う畳み込みカーネルで φ を初期化する',
};
const svddScores: PortText = { label: 'スコア ||φ(x) − c||²' };
const svddEmbeddings: PortText = { label: '埋め込み φ(x)' };

export const jaNodes: Record<string, NodeText> = {
  'image-set': {
    title: '画像セット',
    description:
      '画像をラベル付きで読み込みます: 組み込みの胸部 X 線ファントム（正常と異常、画素マスク付き）、または自分のフォルダ（クラスごとに 1 つのサブフォルダ、例: NORMAL / PNEUMONIA）や CSV（path,label[,split][,mask]）。PNG（8/16 ビット）、JPEG、DICOM（非圧縮、deflate、RLE、JPEG ベースライン/ロスレス）を読めます。高ビット深度の画像はウィンドウ（DICOM の線形 VOI LUT、PS3.3 C.11.2.1.2）でグレーに変換します。読めないファイルは飛ばして数を数えます。',
    inputs: {},
    outputs: { images: { label: '画像' } },
    params: {
      source: { label: '読み込み元', help: '組み込みのファントム、または自分の画像', options: { phantoms: 'ファントム', folder: 'フォルダ' } },
      path: { label: 'パス', help: 'クラスごとのサブフォルダを持つフォルダ、または path,label[,split][,mask] の CSV ファイル（読み込み元がフォルダのときのみ）' },
      normalClass: { label: '正常クラス', help: '正常を意味するクラスフォルダ名またはラベル値。auto = NORMAL/normal/good/0' },
      split: { label: '分割', help: 'この分割だけを残す（CSV の split 列または最上位フォルダ、例: train）。空 = すべて' },
      include: { label: '含める画像', help: '残す画像', options: { all: 'すべて', normal: '正常のみ', anomalous: '異常のみ' } },
      limit: { label: '上限枚数', help: '最大でこの枚数まで（シード付きのランダム抽出）。0 = 上限なし' },
      seed: { label: '乱数シード', help: '乱数シード（ファントムの生成と上限枚数の抽出）' },
      size: { label: '画像サイズ', help: '画像を size × size 画素にリサイズする' },
      grayscale: { label: 'グレースケール', help: 'RGB ではなく 1 チャネル（グレー）にする' },
      normals: { label: '正常画像の枚数', help: 'ファントム: 正常画像の枚数' },
      anomalies: { label: '異常画像の枚数', help: 'ファントム: 異常画像の枚数' },
      anomalyKinds: {
        label: '異常の種類',
        help: 'ファントム: 異常の種類（順番に使う）',
        options: { nodule: '結節', opacity: '浸潤影', mirrored: '左右反転', inverted: '白黒反転' },
      },
      window: {
        label: 'ウィンドウ',
        help: '画素値をグレーに変換する範囲: auto = DICOM の Window Center/Width（なければ画像の最小〜最大、PNG/JPEG は全範囲）、minmax = 画像ごとの最小〜最大、full = ビット深度の全範囲、manual = windowCenter/windowWidth',
        options: { auto: '自動', minmax: '最小〜最大', full: '全範囲', manual: '手動' },
      },
      windowCenter: { label: 'ウィンドウ中心', help: '手動ウィンドウの中心（保存値の単位。DICOM では Rescale Slope/Intercept 適用後、例: HU）' },
      windowWidth: { label: 'ウィンドウ幅', help: '手動ウィンドウの幅（1 以上、中心と同じ単位）' },
    },
  },
  augment: {
    title: 'データ拡張',
    description:
      '各画像をランダムに変化させたコピーを作り、モデルが「正常」のばらつきをより多く見られるようにします: 左右反転（講義の反転画像）、小さな回転、ランダムな切り抜きと元のサイズへの拡大、コントラストと明るさの変化、ガウスノイズ。ラベルは保たれ、画素マスクにも同じ反転・回転・切り抜きをかけます。学習画像にだけ使い（テスト画像には使わない）、左右に意味があるとき（胸部 X 線の心臓の向き）は反転を切ってください。',
    inputs: { images: { label: '画像' } },
    outputs: { images: { label: '拡張した画像' } },
    params: {
      copies: { label: 'コピー数', help: '入力画像 1 枚あたりに作る拡張コピーの数' },
      keepOriginals: { label: '元画像も出力', help: '変更していない入力画像も出力する' },
      flipHorizontal: { label: '左右反転の確率', help: 'コピーが左右反転される確率' },
      rotationDegrees: { label: '回転角度', help: '最大の回転角度（度）。各コピーは ±この値の一様分布、双線形補間、中心まわり。0 = 回転なし' },
      fill: {
        label: '隅の埋め方',
        help: '回転で空いた隅を何で埋めるか: 最も近い縁の画素（edge）か黒（zero）',
        options: { edge: '縁の画素', zero: '黒' },
      },
      cropScale: { label: '切り抜きの割合', help: '画像面積の少なくともこの割合を残すランダムな切り抜き。元のサイズに戻す。1 = 切り抜きなし' },
      brightness: { label: '明るさの変化', help: '明るさのずれの最大値（各コピー: ±この値の一様分布を全画素に加える）' },
      contrast: { label: 'コントラストの変化', help: 'コントラスト変化の最大値（各コピー: 1 ± この値の一様分布の倍率を、画像の平均値まわりにかける）' },
      noiseStd: { label: 'ノイズの標準偏差', help: '加えるガウス画素ノイズの標準偏差（0..1 のスケール）。0 = なし' },
      seed: seedHelp('コピー'),
    },
  },
  'synthetic-anomaly': {
    title: '合成異常',
    description:
      '一部の正常画像を、画素マスク付きのラベル付き異常画像に変えます。正常画像しかなくても検出器を評価したり（Deep SAD に与えたり）できます。種類: mirror（左右反転、講義の反転画像）、invert（1 − x）、nodule（ぼやけた明るい円 = 結節）、patch（肺炎のような雲状の浸潤影）、cutpaste（画像から切り取った矩形を別の場所に貼る、CutPaste）。出力は正常画像（ラベル 0）と異常画像（ラベル 1）。合成した異常は本物の代わりにすぎないので、できれば本物の異常で確かめてください。',
    inputs: { images: { label: '正常画像' } },
    outputs: { images: { label: '正常 + 異常' } },
    params: {
      kinds: {
        label: '異常の種類',
        help: '異常の種類（順番に使う）。invert は見分けるのが簡単すぎるため既定ではオフ',
        options: { mirror: '左右反転', invert: '白黒反転', nodule: '結節', patch: '浸潤影', cutpaste: '切り貼り' },
      },
      fraction: { label: '異常の割合', help: '出力画像のうち異常画像の割合（keepNormals がオンのときは最大 0.9）' },
      keepNormals: { label: '正常画像を残す', help: '入力画像をすべて正常として出力し、異常を追加する。オフ = 一部を置き換える' },
      placement: {
        label: '配置',
        help: '結節・浸潤影・貼り付けた矩形を置く場所: 体の内側（明るい領域の行の範囲）か、どこでも',
        options: { body: '体の内側', anywhere: 'どこでも' },
      },
      noduleRadiusMin: { label: '結節の最小半径', help: '結節の最小半径（画像の一辺に対する割合）' },
      noduleRadiusMax: { label: '結節の最大半径', help: '結節の最大半径（画像の一辺に対する割合）' },
      patchRadiusMin: { label: '浸潤影の最小サイズ', help: '浸潤影（と cutpaste の半辺）の最小サイズ（画像の一辺に対する割合）' },
      patchRadiusMax: { label: '浸潤影の最大サイズ', help: '浸潤影（と cutpaste の半辺）の最大サイズ（画像の一辺に対する割合）' },
      intensity: { label: '明るさ', help: '結節と浸潤影の明るさ（それぞれ 0.6〜1 × この値の一様分布を画素に加え、1 で頭打ち）' },
      seed: seedHelp('異常'),
    },
  },
  split: {
    title: '分割',
    description:
      '画像セットをラベルごとの層別でランダムに（シード付きで）2 つに分けます: 出力 b に各クラス（正常、異常、ラベルなし）の指定した割合が入り、出力 a に残りが入ります。モデルが学習に使わない正常画像を取り分けるときに使います。例えば、テストのラベルを見ずに「未知の正常画像」でスコアを較正するために。',
    inputs: { images: { label: '画像' } },
    outputs: {
      a: { label: 'a（残り）', description: '1 − 割合 の部分。例: 学習用' },
      b: { label: 'b（割合）', description: '割合 の部分。例: 検証用に取り分ける画像' },
    },
    params: {
      fraction: { label: '割合', help: '各クラスのうち出力 b に入る割合（クラスごとに丸める）。残りは a へ' },
      seed: { label: '乱数シード', help: '分割の乱数シード' },
    },
  },
  autoencoder: {
    title: 'AutoEncoder',
    description:
      '正常画像だけで学習する畳み込み AutoEncoder（ストライド 2 の畳み込みエンコーダ → 潜在表現 → 鏡写しの転置畳み込みデコーダ）。「正常」を再構成することを学ぶので、異常は再構成がうまくいかず再構成誤差が大きくなります。採点する画像の再構成画像と潜在表現、学習済みモデルとそのエンコーダを出力します。',
    inputs: { train: { label: '学習用（正常）' }, images: { label: '採点する画像' } },
    outputs: {
      recon: { label: '再構成画像' },
      codes: { label: '潜在表現' },
      trainCodes: { label: '潜在表現（学習用）', description: '学習画像の潜在表現。例: 潜在距離スコアの基準セット' },
      model: { label: 'モデル' },
      encoder: { label: 'エンコーダ' },
    },
    params: {
      channels: { label: 'チャネル数', help: 'ストライド 2 の各エンコーダ畳み込み層のチャネル数（講義: 16,32,64,128,256）。デコーダはその鏡写し' },
      codeChannels: { label: '潜在表現のチャネル数', help: '潜在表現のチャネル数' },
      loss: {
        label: '損失関数',
        help: '再構成の損失: 平均二乗誤差、平均絶対誤差、または 1 − SSIM（構造的類似度、11×11 のガウス窓）',
        options: { mse: '平均二乗誤差', l1: '平均絶対誤差', ssim: '1 − SSIM' },
      },
      epochs,
      batchSize,
      learningRate,
      seed: initSeed,
    },
  },
  'deep-svdd': {
    title: 'Deep SVDD',
    description:
      'Deep Support Vector Data Description: バイアスのない畳み込みネットワーク φ を正常画像で学習し、その埋め込みが中心 c（初期埋め込みの平均）のまわりの小さな超球に集まるようにします。画像のスコアは中心までの二乗距離 ||φ(x) − c||²（高いほど異常）。"one-class" は平均距離を縮め、"soft-boundary" は学習画像の割合 ν が外に出る半径 R を学習します。事前学習済みの AutoEncoder エンコーダ（同じチャネル数、カーネルサイズ 3）から始めることもできます。',
    inputs: { train: { label: '学習用（正常）' }, images: { label: '採点する画像' }, pretrained: pretrainedIn },
    outputs: { scores: svddScores, embeddings: svddEmbeddings },
    params: {
      objective: {
        label: '目的関数',
        help: 'one-class: ||φ(x) − c||² の平均。soft-boundary: R² + (1/ν)·mean(max(0, ||φ(x) − c||² − R²))',
        options: { 'one-class': 'one-class（平均距離）', 'soft-boundary': 'soft-boundary（半径 R を学習）' },
      },
      nu: {
        label: 'ν',
        help: '(0, 1] の ν。soft-boundary: 超球の外に出てよい学習画像の割合。one-class: プレビューの円は学習画像の距離の (1−ν) 分位点',
      },
      warmUpEpochs: { label: 'ウォームアップ', help: 'soft-boundary: 半径 R を初めて更新するまでのエポック数（それまで R = 0）' },
      channels: svddChannels,
      kernelSize,
      repDim,
      epochs,
      batchSize,
      learningRate,
      weightDecay,
      seed: initSeed,
    },
  },
  'deep-sad': {
    title: 'Deep SAD',
    description:
      'Deep Semi-supervised Anomaly Detection: Deep SVDD に、ラベル付きの異常画像を少数加えたもの。バイアスのない畳み込みネットワーク φ が、正常（またはラベルなし）の学習画像を中心 c に引き寄せ、ラベル付きの異常画像を遠ざけます（その損失は η / ||φ(x) − c||²）。どの学習バッチにもラベル付き異常が入ります（少ないので繰り返し使う: オーバーサンプリング）。スコア = ||φ(x) − c||²、高いほど異常。既知の異常画像が数枚あるときに使います。',
    inputs: {
      train: { label: '学習用（正常/ラベルなし）', description: 'ラベル 0 = 既知の正常、-1 = ラベルなし' },
      anomalies: { label: 'ラベル付き異常', description: '既知の異常画像を数枚' },
      images: { label: '採点する画像' },
      pretrained: pretrainedIn,
    },
    outputs: { scores: svddScores, embeddings: svddEmbeddings },
    params: {
      eta: { label: 'η', help: 'η: ラベル付き画像の項の重み（論文では 1）' },
      labelledPerBatch: { label: 'バッチあたりのラベル付き異常', help: '各バッチに入れるラベル付き異常の枚数（順番に繰り返し使う: オーバーサンプリング）。バッチの残りは学習画像' },
      nu: { label: 'ν', help: '(0, 1] の ν: プレビューの円は学習画像の距離の (1−ν) 分位点' },
      channels: svddChannels,
      kernelSize,
      repDim,
      epochs,
      batchSize,
      learningRate,
      weightDecay,
      seed: initSeed,
    },
  },
  'pretrained-cnn': {
    title: '事前学習済み CNN',
    description:
      '事前学習済みの TF.js ネットワーク（model.json と重みファイル。フォルダまたは http(s) の URL から）を読み込み、選んだ層の特徴マップ（「タップ」）を特徴抽出器として提供します（例: PaDiM 用）。画像はネットワークの入力サイズにリサイズされ、グレー画像は RGB に複製されます。ここでは何も学習しません。',
    inputs: {},
    outputs: { extractor: { label: '特徴抽出器' } },
    params: {
      preset: {
        label: 'ネットワーク',
        help: 'どのネットワークか: ImageNet で学習した MobileNetV2（既定のタップは下記）、または自分のモデル',
        options: { 'mobilenet-v2-imagenet': 'MobileNetV2（ImageNet）', custom: '自分のモデル' },
      },
      path: { label: 'パス', help: 'model.json と重みファイルのあるフォルダ（例: ../shared/models/mobilenet_v2_imagenet）、model.json ファイル、または model.json の http(s) URL' },
      layers: { label: '層', help: '特徴マップを出力する層（細かいものから順に）。空 = プリセットのタップ（MobileNetV2: block_3/6/13_expand_relu）' },
      inputRange: {
        label: '入力の値域',
        help: 'ネットワークが期待する画素値の範囲（ここの MobileNetV2 は 0..1 を受け取り、自分でスケールし直す）',
        options: { '0..1': '0..1', '-1..1': '-1..1', '0..255': '0..255' },
      },
    },
  },
  reconstruct: {
    title: '再構成',
    description:
      '学習済みの AutoEncoder（その「モデル」出力）を別の画像セットに適用し、再構成画像 x̂ を入力画像のラベル・名前・マスクとともに出力します。AutoEncoder が学習で見ていない画像（例: 分割ノードで取り分けた正常画像）を、2 つ目のモデルを学習せずに再構成するときに使います。',
    inputs: {
      model: { label: 'モデル', description: '学習済みの画像→画像ネットワーク。例: AutoEncoder のモデル出力' },
      images: { label: '画像' },
    },
    outputs: { recon: { label: '再構成画像' } },
    params: { batchSize: { label: 'バッチサイズ', help: '1 回の予測ステップで処理する画像の枚数（メモリが足りなければ下げる）' } },
  },
  'residual-max': {
    title: '残差',
    description:
      '各画像とその再構成との差分画像 |x − x̂|（再構成誤差）を、画像 1 枚につき 1 つのスコアにまとめます: 最大値（講義の residual max）、平均値、または上位 k 画素の平均。まとめる前にガウスぼかしをかけると、1 画素だけのノイズを抑えられます。高いほど異常。',
    inputs: { images: { label: '画像' }, recon: { label: '再構成画像' } },
    outputs: { scores: { label: 'スコア' }, residuals: { label: '差分画像' } },
    params: {
      reduce: {
        label: 'まとめ方',
        help: '差分画像を 1 つのスコアにする方法',
        options: { max: '最大値', mean: '平均値', topk: '上位 k 画素の平均' },
      },
      topK: { label: 'k', help: 'reduce = topk のときに平均する画素数' },
      blurSigma: { label: 'ぼかし σ', help: '先に |x − x̂| にかけるガウスぼかし（画素）。0 = なし' },
    },
  },
  'image-features': {
    title: '画像特徴量',
    description:
      '画像ごとのいくつかの単純な数値を特徴ベクトルにします: AutoEncoder の再構成との差分 |x − x̂| から（平均、ガウスぼかし後の最大、上位 1 % の平均）、再構成そのものと画像から（平均、標準偏差、鮮鋭度 = 勾配のエネルギー）。対数変換もできます。取り分けた正常画像とテスト画像の特徴量を潜在距離ノード（マハラノビス距離）に渡すと、特徴量がどちらの向きにでも珍しいほど高いスコアになるので、スコアの向きをテストのラベルから選ぶ必要がありません。注意: 明るさ・コントラスト・鮮鋭度は、画像の撮影や圧縮のされ方も測ってしまいます。正常と異常の画像の出どころが違う場合（例: 小児肺炎データセットでは NORMAL と PNEUMONIA の元画像でサイズや JPEG 画質が違う）、高い AUROC は病変ではなくその近道から来ているかもしれません。AutoEncoder を使わない image-* 特徴量だけの結果と比べてください。',
    inputs: {
      images: { label: '画像' },
      recon: { label: '再構成画像', description: '同じ画像の再構成（AutoEncoder の再構成または再構成ノード）。residual-* と recon-* の特徴量に必要' },
    },
    outputs: { features: { label: '特徴量', description: '画像ごとに 1 行、選んだ特徴量ごとに 1 列（一覧の順）' } },
    params: {
      features: {
        label: '特徴量',
        help: '計算する特徴量: residual-* は |x − x̂| から（平均、ぼかし後の最大、上位 1 % の平均）、recon-* / image-* は再構成 / 画像から（平均、標準偏差、鮮鋭度 = 隣接画素の差の二乗平均）',
        options: {
          'residual-mean': '残差の平均',
          'residual-max': '残差の最大',
          'residual-top1': '残差の上位 1 % 平均',
          'recon-mean': '再構成の平均',
          'recon-std': '再構成の標準偏差',
          'recon-sharpness': '再構成の鮮鋭度',
          'image-mean': '画像の平均',
          'image-std': '画像の標準偏差',
          'image-sharpness': '画像の鮮鋭度',
        },
      },
      blurSigma: { label: 'ぼかし σ', help: 'residual-max の前に |x − x̂| にかけるガウスぼかし（画素）。0 = なし' },
      log: { label: '対数変換', help: 'すべての特徴量を log(v + 1e-8) にする（正の値で分布が偏っているので、対数をとるとガウス分布に近づく）' },
    },
  },
  'latent-distance': {
    title: '潜在距離',
    description:
      '各画像の潜在表現が、正常な学習画像の潜在表現の中心（平均）からどれだけ離れているかで採点します: ユークリッド距離（講義の方法）、または学習画像の潜在表現の共分散によるマハラノビス距離。共分散は Ledoit-Wolf 縮小推定で正則化するので、潜在表現の次元が学習画像の枚数より多くても定義できます。正常範囲の半径 r は学習画像の距離のパーセンタイルです。高いほど異常。',
    inputs: {
      train: { label: '学習用の潜在表現（正常）', description: '正常な学習画像の潜在表現。例: AutoEncoder の trainCodes' },
      images: { label: '採点する潜在表現' },
    },
    outputs: { scores: { label: '距離' } },
    params: {
      metric: {
        label: '距離の種類',
        help: 'ユークリッド: 中心までの素の距離。マハラノビス: 正常な潜在表現の広がりで測り直した距離',
        options: { euclidean: 'ユークリッド距離', mahalanobis: 'マハラノビス距離' },
      },
      percentile: { label: 'パーセンタイル', help: '正常範囲の半径 r = 学習画像の距離のこのパーセンタイル（プレビューに表示）' },
      shrinkage: {
        label: '縮小推定',
        help: 'マハラノビス: 共分散を単位行列の定数倍へどれだけ寄せるか（Ledoit-Wolf はデータから決める）',
        options: { 'ledoit-wolf': 'Ledoit-Wolf（自動）', fixed: '固定値' },
      },
      shrinkageAmount: { label: '縮小の強さ', help: '固定の縮小を使うマハラノビス: 0 = 標本共分散、1 = 単位行列 × 平均分散' },
      epsilon: { label: 'ε', help: 'マハラノビス: 常に逆行列をとれるよう、共分散にリッジ ε × 平均分散を加える' },
    },
  },
  padim: {
    title: 'PaDiM',
    description:
      'Patch Distribution Modeling: 正常な学習画像の特徴マップから、パッチの位置ごとに 1 つのガウス分布（ランダムに選んだ d 個の特徴チャネルの平均と共分散）を当てはめ、テスト画像の各パッチをそのガウス分布へのマハラノビス距離で採点します。画像ごとのヒートマップ（拡大してぼかしたもの）と、画像スコア = その最大値を出力します。学習は不要です: 事前学習済み CNN か AutoEncoder のエンコーダを特徴抽出器に使います。',
    inputs: { extractor: { label: '特徴抽出器' }, train: { label: '学習用（正常）' }, images: { label: '採点する画像' } },
    outputs: { scores: { label: 'スコア' }, heatmaps: { label: 'ヒートマップ' } },
    params: {
      d: { label: 'チャネル数 d', help: 'すべてのタップを重ねたあとに残す特徴チャネル数（シード付きでランダムに選ぶ）。使えるチャネル数が上限' },
      epsilon: { label: 'ε', help: '逆行列をとれるよう、各共分散の対角に加える ε（ε·I）' },
      sigma: { label: 'ぼかし σ', help: '拡大した距離マップにかけるガウスぼかし（画素、画像サイズ換算）。0 = なし' },
      batchSize: { label: 'バッチサイズ', help: '特徴抽出の 1 バッチあたりの画像枚数（メモリと速度のかね合い）' },
      seed: { label: '乱数シード', help: 'チャネルをランダムに選ぶときの乱数シード' },
    },
  },
  roc: {
    title: 'ROC 評価',
    description:
      'ROC 曲線とその下の面積（AUROC。scikit-learn の roc_auc_score と同じで、同点は ½ と数える）、および平均適合率（AP）。0.5 = 偶然、1 = 正常と異常を完全に分離。0.5 未満ならスコアの向きが逆です: ノードがそう知らせ、`direction` で反転できます。ただし、テストのラベルを見て選んだ向きは結果とは言えません。',
    inputs: { scores: { label: 'スコア' } },
    outputs: { metrics: { label: '評価指標' } },
    params: {
      direction: {
        label: 'スコアの向き',
        help: 'スコアがどちら向きか。このテストのラベル以外の理由があるときだけ反転すること',
        options: { 'higher-is-anomalous': '高いほど異常', 'lower-is-anomalous': '低いほど異常' },
      },
    },
  },
  'pixel-roc': {
    title: '画素 ROC / PRO',
    description:
      'ヒートマップを画像の画素マスク（異常が実際にある場所）と照らし合わせて評価します: すべての画像の全画素での画素 AUROC（平坦にしたマップとマスクに対する scikit-learn の roc_auc_score と同じ）と、PRO（連結した異常領域それぞれとの重なりの平均を、偽陽性率 0.3 まで平均したもの、MVTec AD）。マスク付きの画像（例: 組み込みのファントム）が必要です。',
    inputs: { heatmaps: { label: 'ヒートマップ（マスク付き）' } },
    outputs: { metrics: { label: '画素の評価指標' } },
    params: {
      maxPixels: { label: '最大画素数', help: 'これより画素が多いと、代わりに固定のランダム標本（正常画素と異常画素で同じ抽出率）を評価する。ノードがその旨を表示する' },
      proFprLimit: { label: 'PRO の偽陽性率の上限', help: 'PRO は偽陽性率 0〜この上限で平均する（MVTec AD: 0.3）' },
      noMasks: {
        label: 'マスクがないとき',
        help: '画素マスクのない画像（例: 画像単位のラベルしかない実際の X 線）: 失敗にするか、警告を出してスキップするか（指標 = NaN）',
        options: { error: 'エラーにする', skip: 'スキップする' },
      },
    },
  },
  histogram: {
    title: 'スコアのヒストグラム',
    description:
      '正常・異常・ラベルなしの画像のスコアがどう分布しているかを、共通のビンで重ねたヒストグラムで示します。山がはっきり分かれていれば良いスコア、重なっていればそのスコアではクラスを見分けられません。ラベルは不要です。表示専用で、出力はありません。',
    inputs: { scores: { label: 'スコア' } },
    outputs: {},
    params: {
      bins: { label: 'ビン数', help: '最低スコアから最高スコアまでのビンの数' },
      logScale: { label: '対数スケール', help: 'log(スコア) で等間隔にビンを切る。桁が大きく違うスコア向け（スコア > 0 が必要）' },
    },
  },
  threshold: {
    title: '閾値',
    description:
      'スコアをはい/いいえの判定（スコア ≥ 閾値 ⇒ 異常）に変え、その閾値での混同行列（TP、FP、TN、FN）、感度、特異度、適合率、F1 を報告します。両方のクラスにラベルがあれば AUROC/AP も。正常スコアのパーセンタイルは正常のラベルだけで決まります（例: 95 ⇒ 誤報は約 5 %）。Youden と最良 F1 は両方のクラスから閾値を選ぶので、同じテストセットでは楽観的な値になります。',
    inputs: { scores: { label: 'スコア' } },
    outputs: { metrics: { label: '評価指標' } },
    params: {
      method: {
        label: '決め方',
        help: '閾値の決め方: 正常スコアのパーセンタイル、max(TPR − FPR)、最大の F1、または固定値',
        options: {
          'percentile-normal': '正常スコアのパーセンタイル',
          youden: 'Youden 指数',
          'best-f1': '最良 F1',
          fixed: '固定値',
        },
      },
      percentile: { label: 'パーセンタイル', help: '正常ラベルのスコアのパーセンタイル（method = percentile-normal）: ≈ 100 − 誤報率（%）' },
      value: { label: '閾値', help: '閾値そのもの（method = fixed）' },
    },
  },
  compare: {
    title: 'スコアの比較',
    description:
      '同じテスト画像に対する最大 4 つのスコアの ROC 曲線を重ね、それぞれに名前・AUROC・AP を添え、AUROC が 0.5 未満のもの（スコアの向きが逆）に印を付けます。表示専用で出力はありません。テストの AUROC で最良のスコアを選ぶと楽観的な数値を報告することになるからです。各スコアの指標は、それぞれに ROC 評価ノードをつないで求めてください。',
    inputs: { a: { label: 'スコア A' }, b: { label: 'スコア B' }, c: { label: 'スコア C' }, d: { label: 'スコア D' } },
    outputs: {},
    params: {},
  },
};
