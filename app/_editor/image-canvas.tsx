/**
 * One preview image on a <canvas>, and the heatmap opacity every heatmap thumbnail shares. A heatmap thumbnail
 * carries its grey image and its heat layer (PreviewImage.layers), so moving the slider re-blends on the page
 * without asking the worker; other images are drawn as they came.
 */
'use client';
import { type CanvasHTMLAttributes, useEffect, useRef } from 'react';
import { create } from 'zustand';
import type { PreviewImage } from '../../graph-nodes/core/preview';
import { useT } from '../_i18n/translate';

/** Heat opacity 0..1, shared by node previews and the inspector (the value the worker bakes in is 0.75). */
export const useHeatOpacity = create<{ opacity: number; set(opacity: number): void }>()((set) => ({
  opacity: 0.75,
  set: (opacity) => set({ opacity }),
}));

function draw(canvas: HTMLCanvasElement, img: PreviewImage, opacity: number) {
  const ctx = canvas.getContext('2d');
  const n = img.width * img.height * 4;
  if (!ctx || img.rgba.length !== n) return;
  const layers = img.layers;
  if (!layers || layers.base.length !== n || layers.heat.length !== n) {
    ctx.putImageData(new ImageData(new Uint8ClampedArray(img.rgba), img.width, img.height), 0, 0);
    return;
  }
  ctx.putImageData(new ImageData(new Uint8ClampedArray(layers.base), img.width, img.height), 0, 0);
  // putImageData ignores globalAlpha, so the heat goes through a scratch canvas and drawImage.
  const scratch = document.createElement('canvas');
  scratch.width = img.width;
  scratch.height = img.height;
  scratch.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(layers.heat), img.width, img.height), 0, 0);
  ctx.globalAlpha = opacity;
  ctx.drawImage(scratch, 0, 0);
  ctx.globalAlpha = 1;
}

export function ImageCanvas({ img, ...rest }: { img: PreviewImage } & CanvasHTMLAttributes<HTMLCanvasElement>) {
  const ref = useRef<HTMLCanvasElement>(null);
  const opacity = useHeatOpacity((s) => (img.layers ? s.opacity : 1));
  useEffect(() => {
    if (ref.current) draw(ref.current, img, opacity);
  }, [img, opacity]);
  return <canvas ref={ref} width={img.width} height={img.height} data-opacity={img.layers ? opacity : undefined} {...rest} />;
}

/** Shown wherever heatmap thumbnails are: 0–100 %, in steps of 5. */
export function HeatOpacitySlider() {
  const { opacity, set } = useHeatOpacity();
  const t = useT();
  return (
    <label className="heat-opacity nodrag">
      <span>{t('pv.heatOpacity')}</span>
      <input
        type="range"
        min={0}
        max={100}
        step={5}
        value={Math.round(opacity * 100)}
        onChange={(e) => set(Number(e.target.value) / 100)}
        data-testid="heat-opacity"
        aria-valuetext={`${Math.round(opacity * 100)} %`}
      />
      <output>{Math.round(opacity * 100)} %</output>
    </label>
  );
}
