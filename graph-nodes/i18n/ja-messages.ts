/**
 * Japanese for the English sentences kernels and the engine send while running (progress messages, warnings, preview
 * text lines, data-manifest checks, the reason a backend was chosen). They arrive from the worker as the same English
 * the CLI and the report print, so the editor matches them against these patterns when it shows them and rewords them
 * (runMessageText). A sentence no pattern matches is shown in English.
 *
 * When a kernel's wording changes, change its pattern here: tests/unit/run-messages.test.ts checks the number of
 * ctx.warn / ctx.progress calls of each kernel and translates what the real kernels emit.
 */

import { jaNodes } from './ja-nodes';

/** One English sentence shape and its Japanese wording; `m` holds the regex groups (m[1] is the first). */
export type RunMessagePattern = { pattern: RegExp; ja: (m: string[], tr: (s: string) => string) => string };

const NUM = String.raw`([-+]?[\d.,]+(?:e[-+]?\d+)?|NaN|-?Infinity)`;
const re = (source: string) => new RegExp(`^${source.replaceAll('{n}', NUM)}$`);

/** The reasons a file is skipped (decoder messages), used inside the "files skipped" warning. */
export const jaSkipReasons: RunMessagePattern[] = [
  { pattern: /^file not found$/, ja: () => 'ファイルが見つかりません' },
  { pattern: /^not a PNG, JPEG or DICOM file \(empty file\)$/, ja: () => 'PNG・JPEG・DICOM のいずれでもありません（空のファイル）' },
  { pattern: /^not a PNG, JPEG or DICOM file \(unknown file signature\)$/, ja: () => 'PNG・JPEG・DICOM のいずれでもありません（不明なファイル形式）' },
  { pattern: /^truncated PNG: header incomplete$/, ja: () => 'PNG が途中で切れています（ヘッダーが不完全）' },
  { pattern: re(String.raw`invalid PNG: {n}×{n} pixels`), ja: (m) => `PNG が不正です（${m[1]}×${m[2]} ピクセル）` },
  { pattern: re(String.raw`image too large \({n}×{n} pixels\)`), ja: (m) => `画像が大きすぎます（${m[1]}×${m[2]} ピクセル）` },
  { pattern: /^(truncated|invalid) PNG: (.*)$/s, ja: (m) => `PNG が${m[1] === 'truncated' ? '途中で切れています' : '不正です'}: ${m[2]}` },
  { pattern: /^couldn't decode JPEG: (.*)$/s, ja: (m) => `JPEG を復号できませんでした: ${m[1]}` },
];

/** Deep SVDD/SAD's words for the radius of the sphere (kernel.ts `meaning`). */
function radiusMeaningJa(meaning: string): string {
  if (meaning === 'radius R') return '半径 R';
  const q = /^\(1−ν\)-quantile of training distances, ν = (.+)$/.exec(meaning);
  return q ? `学習用距離の (1−ν) 分位点（ν = ${q[1]}）` : meaning;
}

const labelJa = { normal: '正常', anomalous: '異常', unlabelled: 'ラベルなし' } as const;
const belowHalf = 'このスコアは正常画像のほうを異常とみなしています。';

export const jaRunMessages: RunMessagePattern[] = [
  // Progress messages (shown after "epoch 3/10 · loss …" on a running node).
  { pattern: re('{n} / {n} anomalies'), ja: (m) => `異常を合成中 ${m[1]} / ${m[2]}` },
  { pattern: re('{n} / {n} images'), ja: (m) => `${m[1]} / ${m[2]} 枚` },
  { pattern: re('{n} / {n} files'), ja: (m) => `${m[1]} / ${m[2]} ファイル` },
  { pattern: /^reading (.+)$/s, ja: (m) => `${m[1]} を読み込み中` },
  { pattern: /^building the network$/, ja: () => 'ネットワークを構築中' },
  { pattern: re('fitting: {n}/{n} normal images'), ja: (m) => `当てはめ中: 正常画像 ${m[1]}/${m[2]} 枚` },
  { pattern: /^inverting covariances$/, ja: () => '共分散の逆行列を計算中' },
  { pattern: re('scoring: {n}/{n} images'), ja: (m) => `採点中: ${m[1]}/${m[2]} 枚` },
  { pattern: re('loading {n} images from (.+)'), ja: (m) => `${m[2]} から画像 ${m[1]} 枚を読み込み中` },

  // Warnings shown on a node after it ran.
  {
    pattern: re('{n} input images? (?:is|are) labelled anomalous and left out: this node expects normal images'),
    ja: (m) => `異常ラベルの入力画像 ${m[1]} 枚を除外しました。このノードは正常画像を想定しています`,
  },
  { pattern: re('{n} unlabelled input images? (?:was|were) treated as normal'), ja: (m) => `ラベルのない入力画像 ${m[1]} 枚を正常として扱いました` },
  {
    pattern: re('{n} mirrored images? got a whole-image mask: (.*)'),
    ja: (m) => `反転した画像 ${m[1]} 枚は、画像全体をマスクにしました: ${m[2]}`,
  },
  { pattern: /^"(.*)" exposes no trainable network; φ starts from random weights\.$/s, ja: (m) => `"${m[1]}" には学習できるネットワークがありません。φ はランダムな重みから始めます。` },
  {
    pattern: /^The conv kernels of "(.*)" do not match φ \(use the same channels and kernel size 3\); φ starts from random weights\.$/s,
    ja: (m) => `"${m[1]}" の畳み込みカーネルが φ と合いません（チャネル数をそろえ、カーネルサイズ 3 を使ってください）。φ はランダムな重みから始めます。`,
  },
  {
    pattern: /^Mahalanobis distance needs at least 2 training codes; with 1 it is the Euclidean distance scaled by the ridge ε\.$/,
    ja: () => 'マハラノビス距離には学習用の潜在表現が 2 つ以上必要です。1 つだけだと、リッジ ε でスケールしたユークリッド距離になります。',
  },
  {
    pattern: re(String.raw`The covariance of the training codes was nearly singular: the ridge ε was raised from {n} to {n}\.`),
    ja: (m) => `学習用の潜在表現の共分散がほぼ特異でした。リッジ ε を ${m[1]} から ${m[2]} に上げました。`,
  },
  { pattern: re(String.raw`{n} scores are NaN or infinite and are left out of the histogram\.`), ja: (m) => `${m[1]} 個のスコアが NaN または無限大のため、ヒストグラムから除外しました。` },
  {
    pattern: re(String.raw`Log scale needs scores > 0, but {n} are ≤ 0: showing a linear histogram instead\.`),
    ja: (m) => `対数目盛にはスコア > 0 が必要ですが、${m[1]} 個が ≤ 0 です。代わりに線形目盛で表示します。`,
  },
  {
    pattern: re(String.raw`{n} files? skipped \((.+?): (.*?)(, …)?\)`),
    ja: (m, tr) => `${m[1]} 個のファイルをスキップしました（${m[2]}: ${tr(m[3]!)}${m[4] ? '、…' : ''}）`,
  },
  {
    pattern: /^the images have no pixel masks \(only image labels\): pixel AUROC and PRO were skipped$/,
    ja: () => '画像にピクセル単位のマスクがありません（画像ラベルのみ）。ピクセル AUROC と PRO は計算しませんでした',
  },
  {
    pattern: re(String.raw`{n} pixels: AUROC/AP use a fixed random sample of {n} \(maxPixels = {n}\)`),
    ja: (m) => `${m[1]} ピクセル: AUROC/AP は固定の無作為抽出 ${m[2]} ピクセルで計算します（maxPixels = ${m[3]}）`,
  },
  {
    pattern: /^Scorer (.+) names its images differently from scorer a; check that they scored the same images\.$/s,
    ja: (m) => `スコア ${m[1]} の画像名がスコア a と異なります。同じ画像を採点したか確かめてください。`,
  },
  { pattern: re('{n} unlabelled images left out of the ROC curves'), ja: (m) => `ラベルのない画像 ${m[1]} 枚を ROC 曲線から除外しました` },
  { pattern: re('{n} unlabelled images left out of the ROC'), ja: (m) => `ラベルのない画像 ${m[1]} 枚を ROC から除外しました` },
  {
    pattern: re(String.raw`(.+): AUROC {n} is below 0\.5 — this score ranks normal images as more anomalous\.`),
    ja: (m) => `${m[1]}: AUROC ${m[2]} が 0.5 未満です。${belowHalf}`,
  },
  {
    pattern: /^The reconstructions name their images differently from the images input: check that they are reconstructions of these images\.$/,
    ja: () => '再構成画像の名前が入力画像と異なります。これらの画像の再構成か確かめてください。',
  },
  {
    pattern: re(String.raw`{n} unlabelled images are not in the confusion matrix \({n} of them are above the threshold\)\.`),
    ja: (m) => `ラベルのない画像 ${m[1]} 枚は混同行列に含まれません（うち ${m[2]} 枚は閾値以上です）。`,
  },
  {
    pattern: re(
      String.raw`AUROC {n} is below 0\.5: this score ranks normal images as more anomalous\. Setting direction = (\S+) would give {n} — but only trust that if the direction is chosen without the test labels\.`,
    ),
    ja: (m) => `AUROC ${m[1]} が 0.5 未満です。${belowHalf}direction = ${m[2]} にすると ${m[3]} になりますが、テストのラベルを見ずに向きを決めた場合だけ信頼してください。`,
  },
  { pattern: re(String.raw`AUROC {n} is below 0\.5: this score ranks normal images as more anomalous\.`), ja: (m) => `AUROC ${m[1]} が 0.5 未満です。${belowHalf}` },
  {
    pattern: /^The (\S+) threshold was chosen with these labels, so its rates are optimistic for these images; reuse it on new images to measure them fairly\.$/,
    ja: (m) => `${m[1]} の閾値はこのラベルで選んだので、これらの画像での率は楽観的です。公平に測るには、新しい画像に同じ閾値を使ってください。`,
  },
  {
    pattern: /^Only normal images are labelled: AUROC and AP need both classes; specificity \(1 − false-alarm rate\) is still measured\.$/,
    ja: () => 'ラベルのある画像が正常だけです。AUROC と AP には両方のクラスが必要です。特異度（1 − 偽陽性率）は測定しています。',
  },
  {
    pattern: re('d = {n} but the extractor gives only {n} channels: using all {n}'),
    ja: (m) => `d = ${m[1]} ですが、特徴抽出器のチャネルは ${m[2]} しかありません。${m[3]} チャネルすべてを使います`,
  },
  {
    pattern: re('only {n} training images for d = {n} channels: the covariances are singular and rest on ε = {n}; use more images or a smaller d'),
    ja: (m) => `d = ${m[2]} チャネルに対して学習画像が ${m[1]} 枚しかありません。共分散は特異で、ε = ${m[3]} に頼っています。画像を増やすか d を小さくしてください`,
  },
  {
    pattern: re('{n} of {n} patch covariances were singular with ε = {n}; ε was raised up to {n} there'),
    ja: (m) => `${m[2]} 個のパッチ共分散のうち ${m[1]} 個が ε = ${m[3]} で特異だったため、そこでは ε を最大 ${m[4]} まで上げました`,
  },
  {
    pattern: re(String.raw`{n} training images are labelled anomalous; they are treated as unlabelled\. Connect them to "Labelled anomalies" instead\.`),
    ja: (m) => `学習画像 ${m[1]} 枚に異常ラベルが付いています。ラベルなしとして扱います。これらは「ラベル付き異常」に接続してください。`,
  },
  {
    pattern: re(String.raw`{n} of the labelled anomalies are labelled normal; they are used as anomalies anyway\.`),
    ja: (m) => `ラベル付き異常のうち ${m[1]} 枚は正常ラベルです。そのまま異常として使います。`,
  },

  // Preview text lines (the summaries under a node; kernels' preview()).
  {
    pattern: re('{n} normal, {n} anomalous(?:, {n} unlabelled)?'),
    ja: (m) => `正常 ${m[1]}、異常 ${m[2]}${m[3] ? `、ラベルなし ${m[3]}` : ''}`,
  },
  {
    pattern: re('{n} images, {n}×{n}, (grey|RGB)(, with pixel masks)?'),
    ja: (m) => `画像 ${m[1]} 枚、${m[2]}×${m[3]}、${m[4] === 'grey' ? 'グレー' : 'RGB'}${m[5] ? '、ピクセルマスク付き' : ''}`,
  },
  { pattern: /^classes: (.*)$/s, ja: (m) => `クラス: ${m[1]}` },
  { pattern: /^formats: (.*)$/s, ja: (m) => `形式: ${m[1]}` },
  { pattern: /^source sizes: (.*)$/s, ja: (m) => `元のサイズ: ${m[1]}` },
  { pattern: re('{n} multi-frame DICOM files?: first frame used'), ja: (m) => `マルチフレームの DICOM ファイル ${m[1]} 個: 先頭フレームを使用` },
  { pattern: re('{n} skipped: (.*)'), ja: (m) => `${m[1]} 個スキップ: ${m[2]}` },
  { pattern: re(String.raw`{n} normal, {n} synthetic anomalies \({n}%\)`), ja: (m) => `正常 ${m[1]}、合成異常 ${m[2]}（${m[3]}%）` },
  {
    // The synthetic-anomaly node's count per kind, e.g. "nodule 3, patch 2": kinds named as in its parameter form.
    pattern: /^(?:(?:mirror|invert|nodule|patch|cutpaste) \d+)(?:, (?:mirror|invert|nodule|patch|cutpaste) \d+)*$/,
    ja: (m) =>
      m[0]!
        .split(', ')
        .map((part) => {
          const [kind = '', count] = part.split(' ');
          return `${jaNodes['synthetic-anomaly']?.params?.kinds?.options?.[kind] ?? kind} ${count}`;
        })
        .join('、'),
  },
  { pattern: re(String.raw`(.+) \(r = {n}th percentile of train\)`), ja: (m) => `${m[1]}（r = 学習データの ${m[2]} パーセンタイル）` },
  {
    pattern: /^Embeddings projected to 2-D \(PCA of training embeddings around c\); circle = (.*)$/s,
    ja: (m) => `埋め込みの 2 次元への射影（c を中心とした学習用埋め込みの PCA）。円 = ${radiusMeaningJa(m[1]!)}`,
  },
  { pattern: re('input {n}×{n}×{n}'), ja: (m) => `入力 ${m[1]}×${m[2]}×${m[3]}` },
  { pattern: re('tap {n}: (.*)'), ja: (m) => `タップ ${m[1]}: ${m[2]}` },
  { pattern: /^objective: (.*)$/s, ja: (m) => `目的関数: ${m[1]}` },
  { pattern: re(String.raw`radius R: {n} \(squared {n}\)`), ja: (m) => `半径 R: ${m[1]}（2 乗 ${m[2]}）` },
  {
    pattern: re(String.raw`\(1−ν\)-quantile of training distances, ν = {n}: {n} \(squared {n}\)`),
    ja: (m) => `学習用距離の (1−ν) 分位点（ν = ${m[1]}）: ${m[2]}（2 乗 ${m[3]}）`,
  },
  { pattern: re('conv kernels initialised from the pretrained network: {n}'), ja: (m) => `事前学習済みネットワークから初期化した畳み込みカーネル: ${m[1]}` },
  { pattern: /^random initialisation$/, ja: () => 'ランダムに初期化' },
  { pattern: re('{n} images scored'), ja: (m) => `採点した画像 ${m[1]} 枚` },
  {
    pattern: re(String.raw`r = {n} \({n}th percentile of {n} training distances\)`),
    ja: (m) => `r = ${m[1]}（学習用距離 ${m[3]} 個の ${m[2]} パーセンタイル）`,
  },
  {
    pattern: /^n inside r: (.*)$/s,
    ja: (m) =>
      `r の内側: ${m[1]!
        .split(', ')
        .map((part) => part.replace(/^(\d+) of (\d+) (normal|anomalous|unlabelled)$/, (_, a, b, c) => `${labelJa[c as keyof typeof labelJa]} ${a}/${b}`))
        .join('、')}`,
  },
  {
    pattern: re(String.raw`Euclidean distance to the mean of {n} training codes \({n} dimensions\)`),
    ja: (m) => `学習用の潜在表現 ${m[1]} 個の平均までのユークリッド距離（${m[2]} 次元）`,
  },
  {
    pattern: re(String.raw`Mahalanobis, (fixed|Ledoit-Wolf) shrinkage ρ = {n}, ridge ε = {n} \({n} dimensions, {n} training codes, (\S+) solve\)`),
    ja: (m) =>
      `マハラノビス距離、${m[1] === 'fixed' ? '固定' : 'Ledoit-Wolf'}の縮小 ρ = ${m[2]}、リッジ ε = ${m[3]}（${m[4]} 次元、学習用の潜在表現 ${m[5]} 個、${m[6]} で求解）`,
  },
  { pattern: re(String.raw`(a|b): {n} images \((.*)\)`), ja: (m) => `${m[1]}: 画像 ${m[2]} 枚（${m[3]}）` },
  { pattern: re('b = {n} of each class, seed {n}'), ja: (m) => `b = 各クラスの ${m[1]}、シード ${m[2]}` },
  {
    pattern: re('{n} (normal|anomalous|unlabelled): median {n}, range {n} – {n}'),
    ja: (m) => `${labelJa[m[2] as keyof typeof labelJa]} ${m[1]}: 中央値 ${m[3]}、範囲 ${m[4]} – ${m[5]}`,
  },
  {
    pattern: re(String.raw`{n} images → {n} \({n} cop(?:y|ies) each( \+ the original)?\)`),
    ja: (m) => `画像 ${m[1]} 枚 → ${m[2]} 枚（1 枚につきコピー ${m[3]} 枚${m[4] ? ' + 元画像' : ''}）`,
  },
  { pattern: /^pixel masks follow the flip, rotation and crop$/, ja: () => 'ピクセルマスクも反転・回転・切り抜きに合わせて変換' },
  { pattern: /^no pixel masks$/, ja: () => 'ピクセルマスクなし' },
  { pattern: /^No pixel masks on these images: nothing to evaluate per pixel\.$/, ja: () => 'これらの画像にはピクセルマスクがないため、ピクセル単位では評価できません。' },
  {
    pattern: re(String.raw`Pixel AUROC {n}, AP {n} \({n} normal, {n} anomalous pixels(?:, sampled from {n})?\)`),
    ja: (m) => `ピクセル AUROC ${m[1]}、AP ${m[2]}（正常 ${m[3]}・異常 ${m[4]} ピクセル${m[5] ? `、${m[5]} ピクセルから抽出` : ''}）`,
  },
  {
    pattern: re('PRO {n}: mean overlap with each of {n} anomalous regions, averaged over FPR 0…{n}'),
    ja: (m) => `PRO ${m[1]}: 異常領域 ${m[2]} 個それぞれとの重なりの平均（FPR 0…${m[3]} で平均）`,
  },
  {
    pattern: /^Mean (log )?feature per class \((.*)\):$/s,
    ja: (m) => `クラスごとの${m[1] ? '対数' : ''}特徴量の平均（${m[2]!.replace(/\b(normal|anomalous|unlabelled) n = /g, (_, c: string) => `${labelJa[c as keyof typeof labelJa]} n = `).replaceAll(', ', '、')}）:`,
  },
  {
    pattern: /^Note: mean\/std\/sharpness also reflect acquisition and compression, which can differ between sources of normal and abnormal images\.$/,
    ja: () => '注意: mean/std/sharpness は撮影条件や圧縮も反映するため、正常画像と異常画像の入手元が違うと差が出ることがあります。',
  },
  {
    pattern: re(String.raw`threshold {n} \((\S+)\): score ≥ threshold ⇒ anomalous`),
    ja: (m) => `閾値 ${m[1]}（${m[2]}）: スコア ≥ 閾値 ⇒ 異常`,
  },
  {
    pattern: /^sensitivity (.+?), specificity (.+?), precision (.+?), F1 (\S+)$/,
    ja: (m) => `感度 ${m[1]}、特異度 ${m[2]}、適合率 ${m[3]}、F1 ${m[4]}`,
  },
  { pattern: /^AUROC — \(one class labelled\)$/, ja: () => 'AUROC —（ラベルが 1 クラスのみ）' },

  // Data manifests (core/data-manifest.ts): the import notice and the Results menu's data check.
  {
    pattern: re(String.raw`"(.*)" was run on {n} files \(hash (\S+)\); it has not run on your data yet`),
    ja: (m) => `"${m[1]}" は ${m[2]} 個のファイル（ハッシュ ${m[3]}）で実行されました。お使いのデータではまだ実行していません`,
  },
  {
    pattern: re(String.raw`"(.*)" was run on {n} files \(hash (\S+)\); your data matches`),
    ja: (m) => `"${m[1]}" は ${m[2]} 個のファイル（ハッシュ ${m[3]}）で実行されました。お使いのデータと一致します`,
  },
  {
    pattern: re(String.raw`"(.*)" was run on {n} files \(hash (\S+)\); your data differs: {n} files, hash (\S+) \((?:{n} file names new, {n} missing|(same file names, different content or params))\)`),
    ja: (m) =>
      `"${m[1]}" は ${m[2]} 個のファイル（ハッシュ ${m[3]}）で実行されました。お使いのデータは異なります: ${m[4]} 個のファイル、ハッシュ ${m[5]}（` +
      (m[8] ? 'ファイル名は同じで、内容かパラメータが異なります' : `新しいファイル名 ${m[6]} 件、なくなったファイル ${m[7]} 件`) +
      '）',
  },
  {
    pattern: re(String.raw`"(.*)": {n} files from (.+) \((.*?)(?:; {n} skipped)?\), hash (\S+)`),
    ja: (m) => `"${m[1]}": ${m[3]} の ${m[2]} 個のファイル（${m[4]}${m[5] ? `、${m[5]} 個スキップ` : ''}）、ハッシュ ${m[6]}`,
  },

  // Why the engine picked its TF.js backend (workers/engine/backend.ts), shown in the bottom bar.
  { pattern: /^requested \((.+)\)$/, ja: (m) => `指定どおり（${m[1]}）` },
  { pattern: /^first available of (.+)$/, ja: (m) => `${m[1]} のうち最初に使えたもの` },
  { pattern: /^(.+?) unavailable \((.*)\); (.+)$/s, ja: (m, tr) => `${m[1]} は使えません（${m[2]}）。${tr(m[3]!)}` },
  { pattern: /^([\w.-]+(?:, [\w.-]+)*) unavailable$/, ja: (m) => `${m[1]} は使えません` },
];
