import { useMutation, useQuery } from '@tanstack/react-query';
import { useInvalidate } from '../../lib/queries.ts';
import type { GroupDto, RouterOutputs } from '../../lib/shared.ts';
import { useTRPC } from '../../trpc.ts';
import { ConfirmButton } from '../../ui/buttons.tsx';
import { ErrorText, QueryView } from '../../ui/states.tsx';

type Activity = RouterOutputs['activities']['get'];

/** The members with their ids, as signed-in callers (teachers) get them: a visitor's answer has none. */
const withStudentIds = (members: readonly object[]) =>
  members.filter((member): member is GroupDto['members'][number] => 'studentId' in member);

/** The activity's groups: remove a member (not the leader) or delete a group. */
export function ManageGroups({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const groups = useQuery(trpc.groups.list.queryOptions({ activityId: activity.id, pageSize: 100 }));
  const remove = useMutation(
    trpc.groups.delete.mutationOptions({ onSettled: () => invalidate(trpc.groups) }),
  );
  const removeMember = useMutation(
    trpc.groups.removeMember.mutationOptions({ onSettled: () => invalidate(trpc.groups) }),
  );
  return (
    <section aria-labelledby="group-tools-heading">
      <h2 id="group-tools-heading">Groups</h2>
      <QueryView query={groups} what="groups" isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <ul className="list">
            {page.items.map((group) => (
              <li key={group.id} className="card">
                <h3>{group.name}</h3>
                <ul>
                  {withStudentIds(group.members).map((member) => (
                    <li key={member.studentId}>
                      {member.name}
                      {member.role === 'leader' ? (
                        // The API refuses removing a leader: the leader hands over or leaves first.
                        ' (leader)'
                      ) : (
                        <ConfirmButton
                          label="Remove"
                          target={`${member.name} from ${group.name}`}
                          question={`Remove ${member.name} from ${group.name}?`}
                          disabled={removeMember.isPending}
                          onConfirm={() =>
                            removeMember.mutate({ groupId: group.id, studentId: member.studentId })
                          }
                        />
                      )}
                    </li>
                  ))}
                </ul>
                <ConfirmButton
                  label="Delete"
                  target={`group ${group.name}`}
                  question={`Delete the group ${group.name}?`}
                  disabled={remove.isPending}
                  onConfirm={() => remove.mutate({ groupId: group.id })}
                />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <ErrorText error={remove.error ?? removeMember.error} />
    </section>
  );
}
