import {
  createPayment,
  deletePayment,
  getPayment,
  idInput,
  listPayments,
  markPaid,
  myPayments,
  myPaymentsSchema,
  pageOf,
  paymentCreateInput,
  paymentListInput,
  paymentPayInput,
  paymentSchema,
  paymentTotals,
  paymentTotalsSchema,
  paymentUpdateInput,
  refundPayment,
  updatePayment,
  waivePayment,
} from '@mergington/db';
import { deletedOutput } from '../outputs.ts';
import { adminProcedure, router, studentProcedure, teacherProcedure } from '../trpc.ts';

export const paymentsRouter = router({
  mine: studentProcedure.output(myPaymentsSchema).query(({ ctx }) => myPayments(ctx.em, ctx.user.id)),
  list: teacherProcedure
    .input(paymentListInput)
    .output(pageOf(paymentSchema))
    .query(({ ctx, input }) => listPayments(ctx.em, input)),
  get: teacherProcedure
    .input(idInput)
    .output(paymentSchema)
    .query(({ ctx, input }) => getPayment(ctx.em, input.id)),
  /** Records what a student owes for an activity. */
  create: teacherProcedure
    .input(paymentCreateInput)
    .output(paymentSchema)
    .mutation(({ ctx, input }) => createPayment(ctx.em, input)),
  markPaid: teacherProcedure
    .input(paymentPayInput)
    .output(paymentSchema)
    .mutation(({ ctx, input }) => markPaid(ctx.em, input)),
  waive: adminProcedure
    .input(idInput)
    .output(paymentSchema)
    .mutation(({ ctx, input }) => waivePayment(ctx.em, input.id)),
  refund: adminProcedure
    .input(idInput)
    .output(paymentSchema)
    .mutation(({ ctx, input }) => refundPayment(ctx.em, input.id)),
  /** Corrections of amount, description or due date. */
  update: adminProcedure
    .input(paymentUpdateInput)
    .output(paymentSchema)
    .mutation(({ ctx, input }) => updatePayment(ctx.em, input)),
  delete: adminProcedure
    .input(idInput)
    .output(deletedOutput)
    .mutation(async ({ ctx, input }) => {
      await deletePayment(ctx.em, input.id);
      return input;
    }),
  totals: adminProcedure.output(paymentTotalsSchema).query(({ ctx }) => paymentTotals(ctx.em)),
});
