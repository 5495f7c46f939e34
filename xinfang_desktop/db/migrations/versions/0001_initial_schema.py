"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name=op.f('fk_categories_parent_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('parent_id', 'name', name=op.f('uq_categories_parent_id'))
    )
    op.create_table('petitioners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('sex', sa.Enum('男', '女', name='sex', native_enum=False, length=16), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitioners'))
    )
    with op.batch_alter_table('petitioners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petitioners_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitioners_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitioners_phone'), ['phone'], unique=False)

    op.create_table('regions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['regions.id'], name=op.f('fk_regions_parent_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
    sa.UniqueConstraint('parent_id', 'name', name=op.f('uq_regions_parent_id'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('乡镇', '县直部门', '一府两院', '上级机关', '其他', name='unitkind', native_enum=False, length=16), nullable=False),
    sa.Column('contact', sa.String(length=32), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('name', name=op.f('uq_units_name'))
    )
    op.create_table('matters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.Enum('来信', '来访', '来电', '传真', '网上信访', '其他', name='channel', native_enum=False, length=16), nullable=False),
    sa.Column('source', sa.Enum('群众直接', '上级交办', '领导批示', '人大代表转交', name='source', native_enum=False, length=16), nullable=False),
    sa.Column('source_level', sa.Enum('国家', '省', '市', '县', name='sourcelevel', native_enum=False, length=16), nullable=True),
    sa.Column('purpose', sa.Enum('建议意见类', '检举控告类', '申诉求决类', '咨询', name='purpose', native_enum=False, length=16), nullable=False),
    sa.Column('route', sa.Enum('诉讼·检察·公安程序', '仲裁', '党员申诉', '行政程序', '请求履行保护职责', '其他', name='route', native_enum=False, length=16), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('demand', sa.Text(), nullable=False),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('collective', sa.Boolean(), nullable=False),
    sa.Column('joint', sa.Boolean(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('skip_level', sa.Enum('到市', '赴省', '进京', name='skiplevel', native_enum=False, length=16), nullable=True),
    sa.Column('repeat', sa.Boolean(), nullable=False),
    sa.Column('repeat_of_id', sa.Integer(), nullable=True),
    sa.Column('involves_deputy', sa.Boolean(), nullable=False),
    sa.Column('in_scope', sa.Boolean(), nullable=False),
    sa.Column('receiving_leader', sa.String(length=32), nullable=False),
    sa.Column('proposal', sa.Text(), nullable=False),
    sa.Column('decision', sa.Enum('受理', '不予受理', '转送', '交办', '直接答复', '存查', name='decision', native_enum=False, length=16), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('competent_body', sa.String(length=100), nullable=False),
    sa.Column('notice_due', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('extended', sa.Boolean(), nullable=False),
    sa.Column('extension_reason', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('待处理', '办理中', '已转送', '已答复', '已办结', '不予受理', '存查', '已作废', name='status', native_enum=False, length=16), nullable=False),
    sa.Column('key_supervision', sa.Boolean(), nullable=False),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=False),
    sa.Column('followed_up_on', sa.Date(), nullable=True),
    sa.Column('satisfaction', sa.Enum('满意', '基本满意', '不满意', name='satisfaction', native_enum=False, length=16), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('settled', sa.Boolean(), nullable=False),
    sa.Column('settled_on', sa.Date(), nullable=True),
    sa.Column('stage', sa.Enum('初次', '复查', '复核', name='reviewstage', native_enum=False, length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('final', sa.Boolean(), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('import_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_matters_category_id_categories')),
    sa.ForeignKeyConstraint(['parent_id'], ['matters.id'], name=op.f('fk_matters_parent_id_matters')),
    sa.ForeignKeyConstraint(['repeat_of_id'], ['matters.id'], name=op.f('fk_matters_repeat_of_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matters')),
    sa.UniqueConstraint('import_key', name=op.f('uq_matters_import_key')),
    sa.UniqueConstraint('number', name=op.f('uq_matters_number')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_matters_year'))
    )
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.create_index('ix_matters_received', ['received_on', 'id'], unique=False)
        batch_op.create_index('ix_matters_status_due', ['status', 'due_on'], unique=False)
        batch_op.create_index('ix_matters_status_received', ['status', 'received_on'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_path', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_attachments_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_matter_id'), ['matter_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_events_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_matter_id'), ['matter_id'], unique=False)

    op.create_table('instructions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('leader', sa.String(length=32), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_instructions_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instructions'))
    )
    with op.batch_alter_table('instructions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instructions_matter_id'), ['matter_id'], unique=False)

    op.create_table('matter_petitioners',
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('petitioner_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('信访人', '代表人', name='petitionerrole', native_enum=False, length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_matter_petitioners_matter_id_matters')),
    sa.ForeignKeyConstraint(['petitioner_id'], ['petitioners.id'], name=op.f('fk_matter_petitioners_petitioner_id_petitioners')),
    sa.PrimaryKeyConstraint('matter_id', 'petitioner_id', name=op.f('pk_matter_petitioners'))
    )
    with op.batch_alter_table('matter_petitioners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matter_petitioners_petitioner_id'), ['petitioner_id'], unique=False)

    op.create_table('transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('转送', '交办', name='transferkind', native_enum=False, length=16), nullable=False),
    sa.Column('role', sa.Enum('主办', '协办', name='transferrole', native_enum=False, length=16), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('state', sa.Enum('待反馈', '退回补办', '已反馈', name='transferstate', native_enum=False, length=16), nullable=False),
    sa.Column('reminders', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_transfers_matter_id_matters')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_transfers_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers'))
    )
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfers_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index('ix_transfers_state_due', ['state', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfers_unit_id'), ['unit_id'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('delivery', sa.Enum('直接送达', '邮寄', '挂号', name='delivery', native_enum=False, length=16), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('transfer_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_documents_matter_id_matters')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_documents_transfer_id_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('number', name=op.f('uq_documents_number'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_matter_id'), ['matter_id'], unique=False)

    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transfer_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('return_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_feedback_transfer_id_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_transfer_id'), ['transfer_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_transfer_id'))

    op.drop_table('feedback')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_matter_id'))

    op.drop_table('documents')
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfers_unit_id'))
        batch_op.drop_index('ix_transfers_state_due')
        batch_op.drop_index(batch_op.f('ix_transfers_matter_id'))

    op.drop_table('transfers')
    with op.batch_alter_table('matter_petitioners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matter_petitioners_petitioner_id'))

    op.drop_table('matter_petitioners')
    with op.batch_alter_table('instructions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instructions_matter_id'))

    op.drop_table('instructions')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_matter_id'))
        batch_op.drop_index(batch_op.f('ix_events_kind'))

    op.drop_table('events')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_matter_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.drop_index('ix_matters_status_received')
        batch_op.drop_index('ix_matters_status_due')
        batch_op.drop_index('ix_matters_received')

    op.drop_table('matters')
    op.drop_table('units')
    op.drop_table('settings')
    op.drop_table('regions')
    with op.batch_alter_table('petitioners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petitioners_phone'))
        batch_op.drop_index(batch_op.f('ix_petitioners_name'))
        batch_op.drop_index(batch_op.f('ix_petitioners_id_number'))

    op.drop_table('petitioners')
    op.drop_table('categories')
    op.drop_table('calendar_days')

