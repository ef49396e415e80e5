import type { Box } from '../../common/geometry';

/**
 * Motion model for face tracks: constant velocity of the box centre and size, damped, so a
 * prediction far ahead slows down instead of flying off with one noisy velocity estimate.
 */

/** Source px per frame, for the centre (cx, cy) and the size (w, h). */
export interface Velocity {
  cx: number;
  cy: number;
  w: number;
  h: number;
}

export const ZERO_VELOCITY: Readonly<Velocity> = Object.freeze({ cx: 0, cy: 0, w: 0, h: 0 });

// How much one new measurement moves the estimate. Detector boxes jitter in size more than in
// position, so size is trusted less.
const POSITION_GAIN = 0.6;
const SIZE_GAIN = 0.3;
// A face does not change size by more than this fraction per frame; larger is detector noise.
const MAX_SIZE_RATE = 0.05;

/** Frames' worth of motion in `dt` frames when velocity decays by `damping` per frame. */
export function dampedSteps(dt: number, damping: number): number {
  if (damping >= 1) return dt;
  return (1 - Math.pow(damping, dt)) / (1 - damping);
}

export function negate(v: Velocity): Velocity {
  return { cx: -v.cx, cy: -v.cy, w: -v.w, h: -v.h };
}

export function centreOf(b: Box): { x: number; y: number } {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}

export function boxAround(cx: number, cy: number, w: number, h: number): Box {
  return { x: cx - w / 2, y: cy - h / 2, w, h };
}

/** Where `box` is expected `dt` frames later (dt ≥ 0; negate the velocity to go back in time). */
export function predictBox(box: Box, v: Velocity, dt: number, damping: number): Box {
  const k = dampedSteps(dt, damping);
  const c = centreOf(box);
  return boxAround(c.x + v.cx * k, c.y + v.cy * k, Math.max(1, box.w + v.w * k), Math.max(1, box.h + v.h * k));
}

/**
 * The velocity after observing `to`, `dt` frames after `from`. `samples` counts earlier estimates:
 * the first measurement is taken as it is (there is nothing to blend with).
 */
export function updateVelocity(prev: Velocity, samples: number, from: Box, to: Box, dt: number): Velocity {
  const a = centreOf(from);
  const b = centreOf(to);
  const limitW = MAX_SIZE_RATE * to.w;
  const limitH = MAX_SIZE_RATE * to.h;
  const m: Velocity = {
    cx: (b.x - a.x) / dt,
    cy: (b.y - a.y) / dt,
    w: clamp((to.w - from.w) / dt, -limitW, limitW),
    h: clamp((to.h - from.h) / dt, -limitH, limitH),
  };
  const gp = samples === 0 ? 1 : POSITION_GAIN;
  return {
    cx: prev.cx + gp * (m.cx - prev.cx),
    cy: prev.cy + gp * (m.cy - prev.cy),
    w: prev.w + SIZE_GAIN * (m.w - prev.w),
    h: prev.h + SIZE_GAIN * (m.h - prev.h),
  };
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
