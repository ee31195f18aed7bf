import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { evaluate, TemplateInputs } from './evaluate';
import { JsonObject } from './model';
import { ObjectTemplate } from './object-template';

/**
 * Evaluates an object template and adds each resulting object to `scope` as a cdk8s `ApiObject`, so
 * that apps see ordinary objects they can patch (`addJsonPatch`). Construct ids: the template's file
 * name, plus `-<index>` for `forEach` templates. Returns the created objects (empty when disabled).
 */
export function renderInto(scope: Construct, template: ObjectTemplate, inputs: TemplateInputs): ApiObject[] {
  const objects = evaluate(template, inputs);
  return objects.map((object, index) => {
    const id = template.forEach === undefined ? template.file : `${template.file}-${index}`;
    return new ApiObject(scope, id, toApiObjectProps(object, template.file));
  });
}

function toApiObjectProps(object: JsonObject, file: string): { apiVersion: string; kind: string; [key: string]: unknown } {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw new Error(`object template "${file}": the object needs string apiVersion and kind`);
  }
  return { ...object, apiVersion, kind };
}
