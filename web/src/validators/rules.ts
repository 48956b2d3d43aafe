/**
 * Element Plus form-rule helpers built on the validators. Each returns a `FormItemRule`
 * (trigger: blur) whose message comes from the catalogue, e.g.
 *
 *   const rules = {
 *     name: [rules.required('member.name'), rules.memberName()],
 *     id_number: [rules.idNumber(() => form.birth_date, () => form.gender)],
 *   };
 *
 * Optional fields pass when empty; add `required()` to make them mandatory.
 */
import type { FormItemRule } from 'element-plus';
import { t } from '@/i18n';
import type { Check } from './result';
import { checkIdNumber } from './idcard';
import { checkCreditCode } from './creditCode';
import { checkRegionCode } from './region';
import { checkPassword } from './password';
import { checkPhone } from './phone';
import { checkDate } from './date';
import { checkJoinAge } from './joinAge';
import { checkMemberName, checkOrgName } from './names';

type Getter = () => string | null | undefined;

/** The catalogue message of a failed check (empty string for a pass). */
export function checkMessage(c: Check<unknown>): string {
  return c.ok ? '' : t(c.key, c.params);
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** A rule from a check function; empty values pass unless `required`. */
export function fromCheck(
  check: (value: string) => Check<unknown>,
  options: { required?: boolean; trigger?: string | string[] } = {},
): FormItemRule {
  return {
    trigger: options.trigger ?? 'blur',
    validator: (_rule, value: unknown, callback: (e?: Error) => void) => {
      if (isEmpty(value)) {
        callback(options.required ? new Error(t('validation.required')) : undefined);
        return;
      }
      const r = check(String(value));
      callback(r.ok ? undefined : new Error(checkMessage(r)));
    },
  };
}

export const rules = {
  /** Required; with a catalogue key for the field label the message names it. */
  required(labelKey?: string, trigger: string | string[] = 'blur'): FormItemRule {
    return {
      required: true,
      trigger,
      validator: (_rule, value: unknown, callback: (e?: Error) => void) => {
        const empty = isEmpty(value) || (Array.isArray(value) && value.length === 0);
        if (!empty) return callback();
        callback(
          new Error(labelKey ? t('validation.requiredField', { field: t(labelKey) }) : t('validation.required')),
        );
      },
    };
  },
  /** GB 11643 ID number, cross-checked with the birth date and gender fields when given. */
  idNumber(birth?: Getter, gender?: Getter): FormItemRule {
    return fromCheck((v) => checkIdNumber(v, birth?.(), gender?.()));
  },
  creditCode(): FormItemRule {
    return fromCheck(checkCreditCode);
  },
  regionCode(): FormItemRule {
    return fromCheck(checkRegionCode);
  },
  password(): FormItemRule {
    return fromCheck(checkPassword, { trigger: ['blur', 'change'] });
  },
  phone(): FormItemRule {
    return fromCheck(checkPhone);
  },
  date(): FormItemRule {
    return fromCheck(checkDate, { trigger: ['blur', 'change'] });
  },
  /** Join date: at least 18 years after the birth date. */
  joinAge(birth: Getter): FormItemRule {
    return fromCheck((v) => checkJoinAge(birth(), v), { trigger: ['blur', 'change'] });
  },
  memberName(): FormItemRule {
    return fromCheck(checkMemberName);
  },
  orgName(): FormItemRule {
    return fromCheck(checkOrgName);
  },
  /** Must equal another field (password repeat). */
  sameAs(other: Getter, messageKey: string): FormItemRule {
    return {
      trigger: ['blur', 'change'],
      validator: (_rule, value: unknown, callback: (e?: Error) => void) => {
        callback(String(value ?? '') === String(other() ?? '') ? undefined : new Error(t(messageKey)));
      },
    };
  },
};
