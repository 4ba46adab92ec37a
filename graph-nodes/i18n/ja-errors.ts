/**
 * 日本語のエラーカタログ: core/errors.ts と同じコード、同じ変数（ErrorInfo.detail）で文を組み立てる。
 * 変数の中身（reason など）はカーネルが英語で作るので、そのまま差し込まれる。
 */
import type { ErrorCode } from '../core/errors';

type Detail = Record<string, unknown>;
export type ErrorText = { message: (d: Detail) => string; hint: string };

export const jaErrors: Record<ErrorCode, ErrorText> = {
  INVALID_PIPELINE: {
    message: (d) => `パイプラインのファイルが正しくありません: ${d.reason}`,
    hint: '示された項目を直すか、組み込みのテンプレートから始め直してください。',
  },
  UNKNOWN_NODE_TYPE: {
    message: (d) => `ノード "${d.nodeId}" の種類 "${d.type}" は不明です。`,
    hint: 'そのノードを削除するか、この種類を知っている版の Kizuki に更新してください。',
  },
  NEWER_NODE_VERSION: {
    message: (d) => `ノード "${d.nodeId}"（${d.type}）は新しい Kizuki（v${d.version}、この版は v${d.known} まで）で保存されています。`,
    hint: 'このパイプラインを開くには Kizuki を更新してください。',
  },
  INVALID_PARAM: {
    message: (d) => `ノード "${d.nodeId}": パラメータ "${d.field}" が不正です（${d.reason}）。`,
    hint: 'パラメータパネル（または --set オプション）で値を直してください。',
  },
  MISSING_INPUT: {
    message: (d) => `ノード "${d.nodeId}": 入力 "${d.port}" が接続されていません。`,
    hint: '正しい型の出力をこの入力に接続してください。',
  },
  BAD_EDGE: {
    message: (d) => `接続 ${d.edgeId}: ${d.reason}`,
    hint: 'その接続を削除し、型の合うポートどうしをつないでください。',
  },
  TYPE_MISMATCH: {
    message: (d) => `${d.from} の出力を ${d.to} の入力には接続できません。`,
    hint: '出力は同じ型（同じ色）の入力にだけ接続してください。',
  },
  CYCLE: {
    message: (d) => `接続が循環しています: ${d.nodes}。`,
    hint: 'データは一方向に流れる必要があります。ループの接続を 1 本外してください。',
  },
  DUPLICATE_ID: {
    message: (d) => `2 つのノードが同じ ID "${d.nodeId}" を持っています。`,
    hint: 'ノードごとに別の ID を付けてください。',
  },
  NO_IMAGES: {
    message: (d) => `ノード "${d.nodeId}": ${d.source} から画像を 1 枚も読み込めませんでした（${d.skipped} 件スキップ）。`,
    hint: 'パス、split/include の絞り込み、ファイル形式（PNG または JPEG）を確かめてください。',
  },
  FILE_NOT_FOUND: {
    message: (d) => `ノード "${d.nodeId}": ${d.path} は存在しません。`,
    hint: 'パスを確かめるか（相対パスは現在のフォルダから解決されます）、フォルダを選び直してください。',
  },
  SINGLE_CLASS: {
    message: (d) => `ノード "${d.nodeId}": スコアには ${d.cls} の画像しかありません。ROC には正常と異常の両方の画像が必要です。`,
    hint: '正常と異常の両方を含むテストセットで評価してください（画像セット: include = all）。',
  },
  UNLABELLED: {
    message: (d) => `ノード "${d.nodeId}": 採点した画像のうち ${d.count} 枚にラベルがありません。`,
    hint: 'ラベル付きのテストデータ（クラスごとのフォルダ、または label 列のある CSV）を使ってください。',
  },
  NAN_LOSS: {
    message: (d) =>
      `ノード "${d.nodeId}": エポック ${d.epoch} で学習が発散しました（損失が ${d.loss} になりました。最後の有限な損失は ${d.lastFiniteLoss}）。`,
    hint: '学習率を下げるか、入力画像を正規化してください。',
  },
  NON_FINITE_SCORES: {
    message: (d) => `ノード "${d.nodeId}": ${d.count} 個のスコアが NaN または無限大です。`,
    hint: '上流のモデルを確かめ、学習率を下げてもう一度実行してください。',
  },
  SHAPE_MISMATCH: {
    message: (d) => `ノード "${d.nodeId}": ${d.what}。`,
    hint: '接続した画像セットのサイズとチャネル数をそろえてください。',
  },
  COLLAPSED: {
    message: (d) => `ノード "${d.nodeId}": 超球がつぶれました（${d.reason}）。このスコアでは何も分離できません。`,
    hint: 'ネットワークをバイアスなしに保つ、学習率かエポック数を下げる、nu を上げる（soft-boundary）、または事前学習済みの AutoEncoder エンコーダから初期化してください。',
  },
  MODEL_LOAD_FAILED: {
    message: (d) => `ノード "${d.nodeId}": ${d.path} からモデルを読み込めませんでした: ${d.reason}`,
    hint: 'TF.js のモデルフォルダ（model.json と重みファイル）か、到達できる URL を指定してください。',
  },
  CANCELLED: {
    message: () => '実行を停止しました。',
    hint: '実行を押すと再開します。完了したノードはキャッシュされています。',
  },
  KERNEL_FAILED: {
    message: (d) => `ノード "${d.nodeId}" が失敗しました: ${d.reason}`,
    hint: 'ノードのパラメータと入力を確かめてください。詳しくはメッセージを見てください。',
  },
  UNSUPPORTED_DETECTOR: {
    message: (d) => `ノード "${d.nodeId}" から検出器を作れません: ${d.reason}。`,
    hint: '検出器にできるのは AutoEncoder を使った residual-max と latent-distance のスコアです。先にパイプラインを実行してください。',
  },
  BAD_ARGUMENT: {
    message: (d) => `${d.reason}`,
    hint: '使い方は `kizuki --help` で確認してください。',
  },
};
