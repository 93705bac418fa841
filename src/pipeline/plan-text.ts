// The expanded pipeline: a plan printed back as pipeline text with named pipelines inlined, `when`
// groups decided, `$references` resolved and fixpoint limits spelled out. Running it on the same input
// runs exactly the passes the plan runs (--print-pipeline-passes, reproducers).

import type { PlanStep } from './plan.js';

/** The plan as runnable pipeline text, needing no pipeline options and no named pipelines. */
export function expandedPipelineText(steps: readonly PlanStep[]): string {
  return steps
    .map(stepText)
    .filter((t) => t !== '')
    .join(',');
}

function stepText(step: PlanStep): string {
  switch (step.kind) {
    case 'pass':
      return step.text;
    case 'fixpoint':
      return `fixpoint{max=${step.max}}(${expandedPipelineText(step.body)})`;
    case 'when':
      return step.active ? expandedPipelineText(step.body) : '';
    case 'when-changed':
      return `when{changed=${step.pass}}(${expandedPipelineText(step.body)})`;
    case 'pipeline':
      return expandedPipelineText(step.body);
    case 'anchor':
      return `${step.on}(${step.names.join(',')}:${expandedPipelineText(step.body)})`;
  }
}
