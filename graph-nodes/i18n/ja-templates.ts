/**
 * 組み込みテンプレートのタイトルと説明（日本語）と、カーネルが送るプレビュー画像の見出しの訳。
 * テンプレートは templates/*.json の id ごと。見出しは英語の原文をキーにした対応表で、載っていないものは英語のまま。
 */

export const jaTemplates: Record<string, { title: string; description: string }> = {
  'lecture-ae-residual': {
    title: '講義: AutoEncoder の残差最大値',
    description:
      '正常画像だけで AutoEncoder を学習し、各テスト画像を差分画像 |x − x̂| の最大値で採点して、ROC 曲線で評価します。',
  },
  'lecture-ae-latent': {
    title: '講義: AutoEncoder の潜在距離',
    description:
      '正常画像だけで AutoEncoder を学習し、各テスト画像をその潜在表現と正常な学習画像の潜在表現の中心との距離で採点します（正常範囲の半径 r = 学習画像の距離の 95 パーセンタイル）。スコアのヒストグラムと ROC 曲線を見ます。',
  },
  'lecture-ae-features': {
    title: '講義: AutoEncoder の特徴量 + マハラノビス距離',
    description:
      'AutoEncoder を単純な特徴量の前処理として使います。正常な学習画像の 20 % を取り分け（分割の b）、学習には使いません。AutoEncoder は残りで学習します。取り分けた正常画像とテスト画像について、画像特徴量ノードが画像ごとにいくつかの数値（残差の平均、ぼかし後の残差の最大、上位 1 % の残差、再構成の平均・標準偏差・鮮鋭度、対数）を計算し、各テスト画像をその特徴量と取り分けた正常画像の特徴量とのマハラノビス距離で採点します。どちらの向きに珍しくても高いスコアになり、スコアの向きをテストのラベルから選ぶ必要がありません。比較ノードで講義の残差最大値と並べて表示します。注意: 平均・標準偏差・鮮鋭度は画像の撮影や圧縮のされ方も反映します。正常と異常の画像の出どころが違うデータでは、これは近道になってしまいます。',
  },
  'lecture-deep-svdd': {
    title: '講義: Deep SVDD',
    description:
      'Deep SVDD（Ruff ら 2018）: バイアスのない畳み込みネットワークを正常画像だけで学習し、埋め込みが中心 c のまわりに集まるようにします。各テスト画像を c までの二乗距離で採点し、ROC 曲線とスコアのヒストグラムで評価します。',
  },
  'lecture-deep-sad': {
    title: '講義: 少数のラベル付き異常による Deep SAD',
    description:
      'Deep SAD（Ruff ら 2020）: Deep SVDD と同様ですが、数枚のラベル付き異常画像を中心 c から遠ざけ、正常画像は引き寄せます。スコア = c までの二乗距離。ROC 曲線で評価します。',
  },
  'lecture-padim': {
    title: '講義: 事前学習済み CNN による PaDiM',
    description:
      'PaDiM（Defard ら 2021）: 事前学習済みの MobileNetV2 が各画像を特徴マップに変え、パッチの位置ごとに 1 つのガウス分布を正常な学習画像に当てはめます。テスト画像のパッチをマハラノビス距離で採点し、ヒートマップ（マスクに対して評価: 画素 AUROC と PRO）と画像スコア = ヒートマップの最大値（ROC）を得ます。モデルが必要です: backbone の path に model.json のあるフォルダ（例: ../shared/models/mobilenet_v2_imagenet）を設定してください。モデルがなければテンプレート phantom-padim-ae を使います。',
  },
  'phantom-padim-ae': {
    title: 'AutoEncoder のエンコーダによる PaDiM（ダウンロード不要）',
    description:
      '事前学習済みモデルなしの PaDiM（Defard ら 2021）: 正常画像で学習した AutoEncoder（のエンコーダ出力）を特徴抽出器として使います。潜在表現のパッチごとに 1 つのガウス分布を正常画像に当てはめ、テスト画像のパッチをマハラノビス距離で採点します。ヒートマップはマスクに対して（画素 AUROC、PRO）、画像スコアは ROC 曲線で評価します。',
  },
  'compare-all': {
    title: 'すべての検出器を比較',
    description:
      '講義の検出器を同じ画像で並べて比べます: AutoEncoder の残差最大値、潜在表現の距離、Deep SVDD（Ruff らの事前学習のように AutoEncoder のエンコーダから初期化）、AutoEncoder のエンコーダによる PaDiM（ダウンロード不要）。各スコアにそれぞれ ROC 評価ノードがあり、比較ノードが 4 本の ROC 曲線を AUC とともに重ねて表示します。',
  },
};

export const jaPreviewTitles: Record<string, string> = {
  'Before → after': '変換前 → 変換後',
  Augmented: '拡張した画像',
  'Reconstructions x̂': '再構成画像 x̂',
  'Reconstructions x̂ (caption: mean |x − x̂|)': '再構成画像 x̂（見出し: |x − x̂| の平均）',
  Phantoms: 'ファントム',
  Images: '画像',
  'Heatmaps over the images': '画像に重ねたヒートマップ',
  'Difference |x − x̂|': '差分 |x − x̂|',
  'Normals and synthetic anomalies': '正常画像と合成異常',
  'PaDiM score (max Mahalanobis distance)': 'PaDiM スコア（マハラノビス距離の最大値）',
};
